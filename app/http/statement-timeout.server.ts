import { AsyncLocalStorage } from "node:async_hooks";
import { singleton } from "~/singleton.server";

/**
 * The SQL statement time limit of the web request being served. db.server
 * applies it to each tenant transaction (transaction-locally), so one slow
 * query cannot hold a connection of the web pool; jobs and the CLI run
 * outside any request and keep the database's own setting.
 */
const current = singleton("web-statement-timeout", () => new AsyncLocalStorage<number>());

export function withStatementTimeout<T>(milliseconds: number, fn: () => T): T {
  return current.run(milliseconds, fn);
}

/** The limit for SET statement_timeout (ms; 0 = none), or null outside a web request. */
export function requestStatementTimeout(): number | null {
  return current.getStore() ?? null;
}
