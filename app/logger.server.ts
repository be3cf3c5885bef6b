import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import { singleton } from "./singleton.server";

/** What a log line should carry about the request or job it belongs to. */
export type LogContext = {
  requestId?: string;
  tenantId?: string;
  userId?: string;
  jobId?: string;
  task?: string;
};

const context = singleton("log-context", () => new AsyncLocalStorage<LogContext>());

/** Keys whose values never reach a log line, wherever they appear. */
export const REDACTED_KEYS = [
  "password",
  "secret",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "authorization",
  "cookie",
  "set-cookie",
  "api_key",
  "apiKey",
  "client_secret",
  "master_password",
];

const redactPaths = REDACTED_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`;
  return [key.slice(key.startsWith(".") ? 1 : 0), `*${key}`, `*.*${key}`, `req.headers${key}`];
});

export function createLogger(destination?: pino.DestinationStream, level = process.env.LOG_LEVEL ?? "info"): pino.Logger {
  return pino(
    {
      level,
      base: { service: process.env.SERVICE_NAME ?? "web" },
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export const rootLogger = singleton("root-logger", () => createLogger());

/** Runs `fn` with a log context that every `log()` call inside it inherits. */
export function withLogContext<T>(extra: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...extra }, fn);
}

/** Adds fields (e.g. tenant, user once known) to the current context in place. */
export function addLogContext(extra: LogContext): void {
  const store = context.getStore();
  if (store) Object.assign(store, extra);
}

export function currentLogContext(): LogContext {
  return context.getStore() ?? {};
}

/** The logger for the current request or job. */
export function log(): pino.Logger {
  const store = context.getStore();
  return store ? rootLogger.child(store) : rootLogger;
}
