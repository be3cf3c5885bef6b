import { createHash } from "node:crypto";

export type Clock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type CallLimiter = {
  /** Resolves when a call may be sent; callers are served in order. */
  take(): Promise<void>;
  /** The vendor blocked the key: no call is sent (by any process sharing the window) for `ms` from now. */
  pause(ms: number): Promise<void>;
};

/**
 * Makes the limiter of one vendor key: `limit` calls per `windowMs`. Worker
 * processes pass the Postgres-backed one (shared-limits.server.ts) so that
 * every process draws from the same window; by default the window is this
 * process's own.
 */
export type CallLimiterFactory = (key: string, limit: number, windowMs: number) => CallLimiter;

/** The row key of a vendor account's limit: the vendor and a sha256 of its API key, so the key itself is never stored. */
export function vendorLimitKey(vendor: string, apiKey: string): string {
  return `${vendor}:${createHash("sha256").update(apiKey).digest("hex")}`;
}

export const inProcessLimiters =
  (clock: Clock): CallLimiterFactory =>
  (_key, limit, windowMs) =>
    createCallLimiter(limit, windowMs, clock);

/**
 * Sliding-window limiter: `limit` calls per `windowMs`, waiting (on the
 * injected clock) rather than ever sending the call that would get the key
 * blocked.
 */
export function createCallLimiter(limit: number, windowMs: number, clock: Clock): CallLimiter {
  const sent: number[] = [];
  let pausedUntil = 0;
  const acquire = async () => {
    for (;;) {
      const now = clock.now();
      if (now < pausedUntil) {
        await clock.sleep(pausedUntil - now);
        continue;
      }
      while (sent.length && sent[0]! <= now - windowMs) sent.shift();
      if (sent.length < limit) {
        sent.push(now);
        return;
      }
      await clock.sleep(sent[0]! + windowMs - now + 1);
    }
  };
  return {
    take: inOrder(acquire),
    async pause(ms) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms);
    },
  };
}

/** Serves `acquire` to one caller at a time, in the order they asked. */
export function inOrder(acquire: () => Promise<unknown>): () => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return () => {
    const next = chain.then(acquire).then(() => undefined);
    chain = next.catch(() => undefined);
    return next;
  };
}
