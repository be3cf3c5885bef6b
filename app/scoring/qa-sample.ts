import { fnv1a32 } from "~/utils/fnv-hash";
import { seededRandom } from "~/utils/seeded-random";

/**
 * The QA spot check: a random sample of a run's High entries. "Random"
 * is seeded by the run id, so the sample is the same however often the run
 * is finalized or its report re-rendered, and differs between runs.
 */
export function pickQaSample(highUens: readonly string[], runId: string, n = 10): string[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Sample size must be a non-negative integer: ${n}`);
  // Sorted and de-duplicated first, so the order the run listed them in does not matter.
  const pool = [...new Set(highUens)].sort();
  const random = seededRandom(fnv1a32(runId));
  const take = Math.min(n, pool.length);
  // A partial Fisher–Yates shuffle: the first `take` slots are the sample.
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take);
}
