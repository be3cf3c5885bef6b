/**
 * The one retry loop behind every external client (vendors, Odoo,
 * data.gov.sg). Each client keeps its own rules — what may be repeated
 * (Odoo never repeats a write that may have arrived), how long to wait
 * (a vendor's Retry-After, else doubling) and on which clock (tests drive
 * the LLM client's) — and hands them in as a policy. p-retry does not fit:
 * its waits cannot follow a per-error Retry-After nor an injected clock.
 */
export type RetryPolicy = {
  /** Attempts after the first one. */
  retries: number;
  /** Whether the failure of attempt `attempt` (0-based) may be tried again. */
  shouldRetry: (error: unknown, attempt: number) => boolean;
  /** How long to wait after the failure of attempt `attempt`. */
  delayMs: (error: unknown, attempt: number) => number;
  /** Defaults to a timer; clients with an injected clock or an abort signal pass their own. */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each wait, e.g. to log the retry. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
};

export async function withRetries<T>(attempt: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.retries || !policy.shouldRetry(error, n)) throw error;
      const wait = Math.max(0, policy.delayMs(error, n));
      policy.onRetry?.(error, n, wait);
      await sleep(wait);
    }
  }
}

/** `baseMs` doubled per attempt; with `jitter`, a random point in the upper half, so clients that failed together spread out. */
export function exponentialDelayMs(baseMs: number, attempt: number, opts: { jitter?: boolean; random?: () => number } = {}): number {
  const exp = baseMs * 2 ** attempt;
  return opts.jitter ? exp / 2 + (opts.random ?? Math.random)() * (exp / 2) : exp;
}
