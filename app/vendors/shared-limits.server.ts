import { randomUUID } from "node:crypto";
import type pg from "pg";
import { type HostLease, type SharedHostGate } from "~/crawler/politeness.server";
import { platformStatements } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { type Statements } from "~/job-order.server";
import { log } from "~/logger.server";
import { singleton } from "~/singleton.server";
import { inOrder, systemClock, type CallLimiter, type CallLimiterFactory, type CallSlot, type Clock } from "./rate-limit.server";

/**
 * Limits every worker process shares, kept in the `rate_limits` table: vendor
 * call windows, per-host crawl spacing and single-flight leases. Each claim is
 * one INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent claims from
 * any number of processes queue on the row's lock and each decides on the row
 * its predecessor left. Time is the database's (clock_timestamp()), the one
 * clock all machines share; a refused claim returns how long to wait.
 */
export type LimitsDb = Statements;

export type CallClaim = { granted: true; at: Date } | { granted: false; waitMs: number };
export type LeaseClaim = { granted: true; token: string } | { granted: false; waitMs: number };

/** A refused lease is asked again at most this long after, however long the lease may still run: holders usually finish early. */
const LEASE_POLL_MS = 250;
/**
 * A single-flight waiter looks again twice as late each time, up to this: a
 * holder waiting its turn at the LLM can take many seconds, and hundreds of
 * companies waiting for the same rationale each looking four times a second
 * kept the workers' CPU and pools busy with looks instead of work.
 */
const SINGLE_POLL_MAX_MS = 2_000;
/** Host rows idle this long are deleted, now and then, so the table does not keep every host ever crawled. */
const HOST_ROW_IDLE_MS = 10 * 60_000;
const PRUNE_EVERY = 500;

export function createSharedLimits(db: LimitsDb, clock: Pick<Clock, "sleep"> = systemClock) {
  // Each claim goes through pg itself: a crawl makes two a page, and Prisma's per-query work cost more CPU than pg's.
  const sql = <R extends pg.QueryResultRow>(strings: TemplateStringsArray, ...values: Array<Parameters<typeof Prisma.sql>[1]>) => {
    const statement = Prisma.sql(strings, ...values);
    return db.query<R>(statement.text, statement.values);
  };

  /**
   * How far the database's clock is ahead of this process's, as the interval
   * every claim so far allows: the database read its clock between the
   * claim's send and its answer. A claim that waited for a pool connection or
   * whose answer waited for a busy process widens only its own interval, so
   * the quickest claims set the bounds. An interval that no longer meets the
   * others means a clock was stepped: it starts over from that claim.
   */
  let ahead = { min: -Infinity, max: Infinity };
  function observeClock(sentAt: number, answeredAt: number, dbNow: Date) {
    const min = dbNow.getTime() - answeredAt;
    const max = dbNow.getTime() - sentAt;
    ahead = min > ahead.max || max < ahead.min ? { min, max } : { min: Math.max(min, ahead.min), max: Math.min(max, ahead.max) };
  }
  /** A slot granted at the database's `at`: fresh while its age, at most, is within `sendWithinMs`. */
  function slotGrantedAt(key: string, at: Date, sendWithinMs: number): CallSlot {
    return {
      fresh: () => Date.now() + ahead.max - at.getTime() <= sendWithinMs,
      unused: () => unclaimCall(key, at),
    };
  }

  /** Takes one grant made at `at` out of `key`'s window (two grants may share a time: only one goes). */
  async function unclaimCall(key: string, at: Date): Promise<void> {
    await sql`
      UPDATE rate_limits SET grants = grants[:array_position(grants, ${at}::timestamptz) - 1] || grants[array_position(grants, ${at}::timestamptz) + 1:]
      WHERE key = ${key}::text AND array_position(grants, ${at}::timestamptz) IS NOT NULL`;
  }

  /** A slot of `limit` per sliding `windowMs` under `key`, or how long until the oldest grant in the window leaves it. */
  async function claimCall(key: string, limit: number, windowMs: number): Promise<CallClaim> {
    const token = randomUUID();
    const sentAt = Date.now();
    const { rows } = await sql<{ granted: boolean; last: Date; free_at: Date | null; now: Date }>`
      INSERT INTO rate_limits AS l (key, grants, holder, updated_at)
      SELECT ${key}::text, ARRAY[c.now], ${token}::text, c.now FROM (SELECT clock_timestamp()::timestamptz(3) AS now) c
      ON CONFLICT (key) DO UPDATE SET
        grants = CASE
          WHEN (cardinality(l.grants) < ${limit}::int OR l.grants[cardinality(l.grants) - ${limit}::int + 1] <= EXCLUDED.updated_at - ${windowMs}::int * interval '1 millisecond')
            AND (l.next_at IS NULL OR l.next_at <= EXCLUDED.updated_at)
          -- A claim that waited for the row lock carries an earlier time than the grant before it: grants stay in order.
          THEN (l.grants || greatest(EXCLUDED.updated_at, l.grants[cardinality(l.grants)]))[greatest(cardinality(l.grants) + 2 - ${limit}::int, 1):]
          ELSE l.grants END,
        holder = CASE
          WHEN (cardinality(l.grants) < ${limit}::int OR l.grants[cardinality(l.grants) - ${limit}::int + 1] <= EXCLUDED.updated_at - ${windowMs}::int * interval '1 millisecond')
            AND (l.next_at IS NULL OR l.next_at <= EXCLUDED.updated_at)
          THEN EXCLUDED.holder ELSE l.holder END,
        updated_at = EXCLUDED.updated_at
      RETURNING holder = ${token}::text AS granted, grants[cardinality(grants)] AS last,
        greatest(grants[cardinality(grants) - ${limit}::int + 1] + ${windowMs}::int * interval '1 millisecond', next_at) AS free_at, updated_at AS now`;
    const row = rows[0]!;
    observeClock(sentAt, Date.now(), row.now);
    if (row.granted) return { granted: true, at: row.last };
    return { granted: false, waitMs: Math.max(1, (row.free_at?.getTime() ?? row.now.getTime()) - row.now.getTime() + 1) };
  }

  /** Holds `key` for at most `leaseMs` if nobody holds it and its spacing has passed; otherwise how long to wait before asking again. */
  async function claimLease(key: string, leaseMs: number): Promise<LeaseClaim> {
    const token = randomUUID();
    const { rows } = await sql<{ granted: boolean; busy_until: Date | null; next_at: Date | null; now: Date }>`
      INSERT INTO rate_limits AS l (key, holder, busy_until, updated_at)
      SELECT ${key}::text, ${token}::text, c.now + ${leaseMs}::int * interval '1 millisecond', c.now
      FROM (SELECT clock_timestamp()::timestamptz(3) AS now) c
      ON CONFLICT (key) DO UPDATE SET
        holder = CASE WHEN (l.busy_until IS NULL OR l.busy_until <= EXCLUDED.updated_at) AND (l.next_at IS NULL OR l.next_at <= EXCLUDED.updated_at)
          THEN EXCLUDED.holder ELSE l.holder END,
        busy_until = CASE WHEN (l.busy_until IS NULL OR l.busy_until <= EXCLUDED.updated_at) AND (l.next_at IS NULL OR l.next_at <= EXCLUDED.updated_at)
          THEN EXCLUDED.busy_until ELSE l.busy_until END,
        updated_at = EXCLUDED.updated_at
      RETURNING holder = ${token}::text AS granted, busy_until, next_at, updated_at AS now`;
    const row = rows[0]!;
    if (row.granted) return { granted: true, token };
    const now = row.now.getTime();
    const busyMs = row.busy_until && row.busy_until.getTime() > now ? Math.min(row.busy_until.getTime() - now, LEASE_POLL_MS) : 0;
    const spacingMs = row.next_at ? row.next_at.getTime() - now : 0;
    return { granted: false, waitMs: Math.max(1, busyMs, spacingMs) };
  }

  /** Ends a lease; the next holder may start `delayMs` from now. */
  async function releaseLease(key: string, token: string, delayMs: number): Promise<void> {
    await sql`
      UPDATE rate_limits SET holder = NULL, busy_until = NULL, updated_at = clock_timestamp(),
        next_at = greatest(next_at, clock_timestamp() + ${delayMs}::int * interval '1 millisecond')
      WHERE key = ${key}::text AND holder = ${token}::text`;
  }

  /** Keeps a lease its holder still works under for another `leaseMs`; false once it is no longer the holder's. */
  async function extendLease(key: string, token: string, leaseMs: number): Promise<boolean> {
    const extended = await sql`
      UPDATE rate_limits SET busy_until = clock_timestamp() + ${leaseMs}::int * interval '1 millisecond', updated_at = clock_timestamp()
      WHERE key = ${key}::text AND holder = ${token}::text`;
    return (extended.rowCount ?? 0) > 0;
  }

  /** Ends a lease on one-off work and forgets its row. */
  async function dropLease(key: string, token: string): Promise<void> {
    await sql`DELETE FROM rate_limits WHERE key = ${key}::text AND holder = ${token}::text`;
  }

  /** Nothing under `key` is granted before `delayMs` from now: a host's request made outside a lease, a vendor's block. */
  async function touch(key: string, delayMs: number): Promise<void> {
    await sql`
      INSERT INTO rate_limits AS l (key, next_at, updated_at)
      SELECT ${key}::text, c.now + ${delayMs}::int * interval '1 millisecond', c.now FROM (SELECT clock_timestamp()::timestamptz(3) AS now) c
      ON CONFLICT (key) DO UPDATE SET next_at = greatest(l.next_at, EXCLUDED.next_at), updated_at = EXCLUDED.updated_at`;
  }

  async function acquireLease(key: string, leaseMs: number): Promise<string> {
    for (;;) {
      const claim = await claimLease(key, leaseMs);
      if (claim.granted) return claim.token;
      await clock.sleep(claim.waitMs);
    }
  }

  let releases = 0;
  async function pruneIdleHosts(): Promise<void> {
    await sql`
      DELETE FROM rate_limits WHERE key LIKE 'host:%' AND holder IS NULL
        AND updated_at < clock_timestamp() - ${HOST_ROW_IDLE_MS}::int * interval '1 millisecond'
        AND (next_at IS NULL OR next_at < clock_timestamp())`;
  }

  return {
    claimCall,
    claimLease,
    releaseLease,
    dropLease,

    /**
     * A sliding-window limiter every process shares. Callers in this process
     * queue in order and only the first asks the database, so a waiting
     * process costs one claim per opening of the window. A slot is fresh for
     * `sendWithinMs` after the database granted it, by this process's clock.
     */
    callLimiter(key: string, limit: number, windowMs: number, sendWithinMs: number): CallLimiter {
      return {
        take: inOrder(async () => {
          for (;;) {
            const claim = await claimCall(key, limit, windowMs);
            if (claim.granted) return slotGrantedAt(key, claim.at, sendWithinMs);
            await clock.sleep(claim.waitMs);
          }
        }),
        pause: (ms) => touch(key, ms),
      };
    },

    /** The crawler's per-host gate across processes: one request per host in flight, spaced by the host's delay. */
    hostGate(leaseMs: number): SharedHostGate {
      const keyOf = (host: string) => `host:${host.toLowerCase()}`;
      return {
        async acquire(host): Promise<HostLease> {
          const key = keyOf(host);
          const token = await acquireLease(key, leaseMs);
          return {
            async release(delayMs) {
              await releaseLease(key, token, delayMs);
              releases += 1;
              if (releases % PRUNE_EVERY === 0) await pruneIdleHosts();
            },
          };
        },
        touch: (host, delayMs) => touch(keyOf(host), delayMs),
      };
    },

    /**
     * Runs `work` in at most one process at a time per key. A caller that
     * finds the key held waits (looking again less and less often) until it
     * is free and calls `settled` first:
     * when it returns a value (the other process's result, e.g. from a
     * cache), that is the answer and `work` does not run. The holder renews
     * its lease every third of `leaseMs` while `work` runs, so `leaseMs` only
     * bounds how long a holder that died keeps the others waiting.
     */
    async single<T>(key: string, leaseMs: number, settled: () => Promise<T | null>, work: () => Promise<T>): Promise<T> {
      let pollMs = LEASE_POLL_MS;
      for (;;) {
        const claim = await claimLease(key, leaseMs);
        if (claim.granted) {
          const renewal = setInterval(() => {
            extendLease(key, claim.token, leaseMs).catch((error: unknown) => log().warn({ err: error, key }, "could not renew a single-flight lease"));
          }, leaseMs / 3);
          renewal.unref();
          try {
            // The previous holder may have finished between the caller's look and this claim.
            return (await settled()) ?? (await work());
          } finally {
            clearInterval(renewal);
            await dropLease(key, claim.token).catch((error: unknown) => log().warn({ err: error, key }, "could not end a single-flight lease; it expires"));
          }
        }
        await clock.sleep(Math.max(claim.waitMs, pollMs));
        pollMs = Math.min(pollMs * 2, SINGLE_POLL_MAX_MS);
        const done = await settled();
        if (done !== null) return done;
      }
    },
  };
}

export type SharedLimits = ReturnType<typeof createSharedLimits>;

/** This process's handle on the shared limits, through the platform client (the table is platform data). */
export function sharedLimits(): SharedLimits {
  return singleton("shared-limits", () => createSharedLimits(platformStatements()));
}

/** Vendor clients' limiter factory in processes that share their vendor keys with others. */
export function sharedCallLimiters(): CallLimiterFactory {
  const limits = sharedLimits();
  return (key, limit, windowMs, sendWithinMs) => limits.callLimiter(key, limit, windowMs, sendWithinMs);
}
