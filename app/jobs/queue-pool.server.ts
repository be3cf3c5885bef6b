import pg from "pg";
import { exponentialDelayMs } from "~/vendors/retry.server";

/**
 * Errors that mean the database went away (a restart, a failover, a dropped
 * network) rather than that a statement was wrong. Postgres names a shutdown
 * with SQLSTATE class 57 (admin_shutdown 57P01, crash_shutdown 57P02,
 * cannot_connect_now 57P03); node-postgres gives the socket's error code, or
 * no code at all when the server closed the connection.
 */
const LOST_CODES = new Set(["57P01", "57P02", "57P03", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"]);

export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && LOST_CODES.has(code)) return true;
  return /Connection terminated|Client has encountered a connection error/.test(error.message);
}

export type QueuePoolOptions = {
  /** How long a checkout waits for the database to come back before it gives up. */
  maxWaitMs?: number;
  onWait?: (error: Error, waitedMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * The job queue's pool, whose checkouts wait out a database restart.
 * graphile-worker records a finished job without awaiting it (a rejected
 * write would leave the job locked for four hours and reject unhandled), and
 * retries only a few error codes itself; so a checkout that finds the server
 * gone tries again with backoff until it is back.
 */
export function queuePool(config: pg.PoolConfig, options: QueuePoolOptions = {}): pg.Pool {
  const pool = new pg.Pool(config);
  const maxWaitMs = options.maxWaitMs ?? 10 * 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const waitingConnect = async (): Promise<pg.PoolClient> => {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await connect();
      } catch (error) {
        const waited = Date.now() - started;
        if (!isConnectionLoss(error) || waited >= maxWaitMs || pool.ending) throw error;
        options.onWait?.(error as Error, waited);
        await sleep(Math.min(exponentialDelayMs(250, attempt, { jitter: true }), 5_000));
      }
    }
  };
  // The callback form (graphile-worker's LISTEN connection) has its own retry loop.
  pool.connect = ((callback?: Parameters<pg.Pool["connect"]>[0]) =>
    callback ? (connect as unknown as (cb: typeof callback) => void)(callback) : waitingConnect()) as pg.Pool["connect"];
  return pool;
}

/**
 * For a worker process: graphile-worker writes a job's outcome without
 * awaiting it, so a write cut by a database restart rejects unhandled. That
 * job stays locked until the worker releases it after the outage (see
 * releaseOrphanedJobs), so the process goes on. Any other unhandled rejection
 * is a bug: the process stops and its supervisor starts a fresh one.
 */
export function keepWorkingThroughConnectionLoss(log: { error(o: object, m: string): void; fatal(o: object, m: string): void }): void {
  process.on("unhandledRejection", (reason) => {
    if (isConnectionLoss(reason)) {
      log.error({ reason: (reason as Error).message }, "a job's outcome was lost with the database connection; it runs again after the outage");
      return;
    }
    log.fatal({ err: reason }, "unhandled rejection");
    process.exit(1);
  });
}
