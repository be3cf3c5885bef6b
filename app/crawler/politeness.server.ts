/**
 * Per-host politeness: requests to one host run one at a time with at least
 * `minDelayMs` (or the site's Crawl-delay, up to the cap) between the end of
 * one and the start of the next — Scrapy's project default of ~1 request/s
 * per domain. A global limit bounds requests in flight across all hosts. The
 * clock is injected so the spacing is unit-testable without waiting.
 */
export type Clock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type PolitenessOptions = {
  minDelayMs: number;
  maxCrawlDelayS: number;
  concurrency: number;
  clock?: Clock;
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
  let active = 0;
  const waiting: Array<() => void> = [];

  const stateOf = (host: string) => {
    const key = host.toLowerCase();
    let state = hosts.get(key);
    if (!state) {
      state = { tail: Promise.resolve(), nextAt: 0, queued: 0 };
      hosts.set(key, state);
    }
    return state;
  };

  const acquire = () =>
    active < options.concurrency ? ((active += 1), Promise.resolve()) : new Promise<void>((resolve) => waiting.push(() => ((active += 1), resolve())));

  const release = () => {
    active -= 1;
    waiting.shift()?.();
  };

  const delayOf = (state: HostState) => Math.max(options.minDelayMs, state.crawlDelayMs ?? 0);

  function touch(host: string) {
    const state = stateOf(host);
    state.nextAt = Math.max(state.nextAt, clock.now() + delayOf(state));
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
        await acquire();
        try {
          return await task();
        } finally {
          release();
          state.nextAt = clock.now() + delayOf(state);
          state.queued -= 1;
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
    },
    setCrawlDelay(host, seconds) {
      const capped = seconds === undefined ? undefined : Math.min(Math.max(0, seconds), options.maxCrawlDelayS);
      stateOf(host).crawlDelayMs = capped === undefined ? undefined : capped * 1000;
    },
    delayMs: (host) => delayOf(stateOf(host)),
    inFlight: () => active,
  };
}
