/**
 * Per-host politeness: requests to one host run one at a time with at least
 * `minDelayMs` (or the site's Crawl-delay, up to the cap) between the end of
 * one and the start of the next — Scrapy's project default of ~1 request/s
 * per domain. A global limit bounds requests in flight across all hosts. The
 * clock is injected so the spacing is unit-testable without waiting. With a
 * shared gate the per-host spacing also holds across worker processes.
 */
import { orderedSlots } from "~/job-order.server";
import { log } from "~/logger.server";

export type Clock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A host held across processes until `release`, after which the host's next request waits `delayMs`. */
export type HostLease = { release(delayMs: number): Promise<void> };

/**
 * The per-host gate shared by every crawling process (Postgres-backed, see
 * shared-limits.server.ts): without it a second worker would ask the same
 * host as often again.
 */
export interface SharedHostGate {
  /** Waits until no other request to `host` is in flight anywhere and its spacing has passed, then holds it. */
  acquire(host: string): Promise<HostLease>;
  /** Records a request made without a lease: the next one waits `delayMs` from now. */
  touch(host: string, delayMs: number): Promise<void>;
}

export type PolitenessOptions = {
  minDelayMs: number;
  maxCrawlDelayS: number;
  concurrency: number;
  clock?: Clock;
  /** Absent: the spacing holds within this process only. */
  shared?: SharedHostGate;
};

export interface Politeness {
  schedule<T>(host: string, task: () => Promise<T>): Promise<T>;
  /** Records a request made outside schedule() (robots.txt), so the next one keeps its distance. */
  touch(host: string): void;
  /**
   * A redirect hop inside a scheduled request: counts the answer `from` just
   * gave, then waits until `to` may be asked, as for a request of its own.
   * The caller touches the last host once the fetch ends.
   */
  follow(from: string, to: string): Promise<void>;
  /** From robots.txt; undefined clears it. Values above the cap are capped. */
  setCrawlDelay(host: string, seconds: number | undefined): void;
  delayMs(host: string): number;
  inFlight(): number;
}

type HostState = { tail: Promise<void>; nextAt: number; crawlDelayMs?: number; queued: number };

export function createPoliteness(options: PolitenessOptions): Politeness {
  const clock = options.clock ?? systemClock;
  const hosts = new Map<string, HostState>();
  // Requests wait for one of the `concurrency` in queue order: the companies that started first finish their crawls first.
  const inFlight = orderedSlots(options.concurrency);

  const stateOf = (host: string) => {
    const key = host.toLowerCase();
    let state = hosts.get(key);
    if (!state) {
      state = { tail: Promise.resolve(), nextAt: 0, queued: 0 };
      hosts.set(key, state);
    }
    return state;
  };

  const delayOf = (state: HostState) => Math.max(options.minDelayMs, state.crawlDelayMs ?? 0);

  const shared = options.shared;
  // Hosts this process holds a shared lease on: a redirect back to one of them must not wait for itself.
  const held = new Map<string, number>();
  const hold = (key: string, by: 1 | -1) => {
    const count = (held.get(key) ?? 0) + by;
    if (count === 0) held.delete(key);
    else held.set(key, count);
  };

  // The shared record is best kept, not a reason to fail a crawl: a lease left behind expires.
  const warnShared = (host: string) => (error: unknown) => log().warn({ err: error, host }, "politeness: could not update the shared host gate");

  function touch(host: string) {
    const state = stateOf(host);
    state.nextAt = Math.max(state.nextAt, clock.now() + delayOf(state));
    if (shared) void shared.touch(host, delayOf(state)).catch(warnShared(host));
  }

  function prune() {
    if (hosts.size < 10_000) return;
    const now = clock.now();
    for (const [key, state] of hosts) if (state.queued === 0 && state.nextAt <= now) hosts.delete(key);
  }

  return {
    schedule(host, task) {
      prune();
      const state = stateOf(host);
      state.queued += 1;
      const run = state.tail.then(async () => {
        const wait = state.nextAt - clock.now();
        if (wait > 0) await clock.sleep(wait);
        const key = host.toLowerCase();
        let lease: HostLease | undefined;
        try {
          lease = await shared?.acquire(key);
        } catch (error) {
          state.queued -= 1;
          throw error;
        }
        hold(key, 1);
        await inFlight.take();
        try {
          return await task();
        } finally {
          inFlight.give();
          state.queued -= 1;
          hold(key, -1);
          await lease?.release(delayOf(state)).catch(warnShared(key));
          // The delay runs from when the shared gate recorded the request's end: a claim made sooner is refused and asked again.
          state.nextAt = clock.now() + delayOf(state);
        }
      });
      state.tail = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
    touch,
    async follow(from, to) {
      touch(from);
      const state = stateOf(to);
      const wait = state.nextAt - clock.now();
      if (wait > 0) await clock.sleep(wait);
      const key = to.toLowerCase();
      // Another process's request to `to` must end and its spacing pass; the hop then counts as `to`'s latest request.
      if (shared && !held.has(key)) await (await shared.acquire(key)).release(delayOf(state));
    },
    setCrawlDelay(host, seconds) {
      const capped = seconds === undefined ? undefined : Math.min(Math.max(0, seconds), options.maxCrawlDelayS);
      stateOf(host).crawlDelayMs = capped === undefined ? undefined : capped * 1000;
    },
    delayMs: (host) => delayOf(stateOf(host)),
    inFlight: () => inFlight.inUse(),
  };
}
