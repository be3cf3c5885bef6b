export type Clock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Sliding-window limiter: `limit` calls per `windowMs`, waiting (on the
 * injected clock) rather than ever sending the call that would get the key
 * blocked.
 */
export function createCallLimiter(limit: number, windowMs: number, clock: Clock) {
  const sent: number[] = [];
  let chain: Promise<void> = Promise.resolve();
  const acquire = async () => {
    for (;;) {
      const now = clock.now();
      while (sent.length && sent[0]! <= now - windowMs) sent.shift();
      if (sent.length < limit) {
        sent.push(now);
        return;
      }
      await clock.sleep(sent[0]! + windowMs - now + 1);
    }
  };
  return {
    /** Resolves when a call may be sent; callers are served in order. */
    take(): Promise<void> {
      const next = chain.then(acquire);
      chain = next.catch(() => undefined);
      return next;
    },
  };
}
