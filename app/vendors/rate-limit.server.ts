import { createHash } from "node:crypto";
import { log } from "~/logger.server";
import { RateLimited, type VendorName } from "./errors.server";
import { exponentialDelayMs, withRetries } from "./retry.server";

export type Clock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A place in a vendor's window, granted for a call that is about to be sent. */
export type CallSlot = {
  /**
   * Whether the call may still go out on this slot. The window is a little
   * wider than the vendor's so a call may arrive a little after its grant; a
   * process short of CPU can take longer than that between grant and send,
   * and a call sent late lands in the vendor's next window, over its limit.
   */
  fresh(): boolean;
  /**
   * Gives back a slot whose call was not sent (it was no longer fresh): it
   * leaves the window at once instead of a minute later. The vendor never saw
   * it, so it is free for another call.
   */
  unused(): Promise<void>;
};

export type CallLimiter = {
  /** Resolves with a slot when a call may be sent; callers are served in order. */
  take(): Promise<CallSlot>;
  /** The vendor blocked the key: no call is sent (by any process sharing the window) for `ms` from now. */
  pause(ms: number): Promise<void>;
};

/**
 * Makes the limiter of one vendor key: `limit` calls per `windowMs`. Worker
 * processes pass the Postgres-backed one (shared-limits.server.ts) so that
 * every process draws from the same window; by default the window is this
 * process's own. `windowMs` is the vendor's window plus some slack, and a slot
 * is fresh for `sendWithinMs` after its grant (less than the slack: the rest
 * is for the request to reach the vendor).
 */
export type CallLimiterFactory = (key: string, limit: number, windowMs: number, sendWithinMs: number) => CallLimiter;

/** The row key of a vendor account's limit: the vendor and a sha256 of its API key, so the key itself is never stored. */
export function vendorLimitKey(vendor: string, apiKey: string): string {
  return `${vendor}:${createHash("sha256").update(apiKey).digest("hex")}`;
}

/**
 * The window our limiter keeps for a vendor that counts requests per sliding
 * minute, and how soon after its grant a slot must be used. A call is checked
 * fresh just before fetch() is asked to send it, but a worker short of CPU
 * with a thousand jobs can take seconds to get it onto the wire, and the
 * vendor counts it when it arrives: the window is three seconds wider than
 * the vendor's, so a call may arrive up to 2.5 s after its check and still
 * fall in a minute the vendor has room in. Three workers sharing a 2-core
 * machine in a 5,000-company run took up to 1.04 s from the check to the
 * request's headers on the wire, and the simulators, each in a process of its
 * own, counted it at most 0.27 s later. It costs a twentieth of the
 * throughput while such a limit binds.
 */
export const PER_MINUTE_WINDOW = { windowMs: 63_000, sendWithinMs: 500 } as const;

export const inProcessLimiters =
  (clock: Clock): CallLimiterFactory =>
  (_key, limit, windowMs, sendWithinMs) =>
    createCallLimiter(limit, windowMs, clock, sendWithinMs);

/**
 * Sliding-window limiter: `limit` calls per `windowMs`, waiting (on the
 * injected clock) rather than ever sending the call that would get the key
 * blocked.
 */
export function createCallLimiter(limit: number, windowMs: number, clock: Clock, sendWithinMs = windowMs): CallLimiter {
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
        return {
          fresh: () => clock.now() - now <= sendWithinMs,
          unused: async () => {
            const at = sent.indexOf(now);
            if (at >= 0) sent.splice(at, 1);
          },
        };
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
export function inOrder<T>(acquire: () => Promise<T>): () => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return () => {
    const next = chain.then(acquire);
    chain = next.catch(() => undefined);
    return next;
  };
}

/** Both vendors count per minute, so a longer Retry-After is not waited out: the call fails and its job retries later. */
const MAX_RETRY_WAIT_MS = 60_000;
const RETRY_MARGIN_MS = 250;

/**
 * Sends `send` again after a 429, up to `retries` times, waiting the vendor's
 * Retry-After (whole seconds, so the window may reopen just after it; a
 * doubling wait without one). The account is over its limit for every
 * process using the key, so the reset is shared through `limiter` first and
 * all of them hold back until it passes.
 */
export function retryRateLimited<T>(
  vendor: VendorName,
  send: () => Promise<T>,
  opts: { retries: number; clock: Clock; limiter: CallLimiter | undefined },
): Promise<T> {
  return withRetries(
    async () => {
      try {
        return await send();
      } catch (error) {
        if (error instanceof RateLimited && error.retryAfterMs && opts.limiter) {
          await opts.limiter.pause(error.retryAfterMs).catch((e: unknown) => log().warn({ err: e, vendor }, "could not share a rate limit's reset"));
        }
        throw error;
      }
    },
    {
      retries: opts.retries,
      shouldRetry: (error) => error instanceof RateLimited,
      delayMs: (error, attempt) => Math.min((error as RateLimited).retryAfterMs ?? exponentialDelayMs(1000, attempt), MAX_RETRY_WAIT_MS) + RETRY_MARGIN_MS,
      sleep: (ms) => opts.clock.sleep(ms),
    },
  );
}
