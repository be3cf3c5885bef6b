/**
 * The QA spot check: a random sample of a run's High entries. "Random"
 * is seeded by the run id, so the sample is the same however often the run
 * is finalized or its report re-rendered, and differs between runs.
 */
export function pickQaSample(highUens: readonly string[], runId: string, n = 10): string[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Sample size must be a non-negative integer: ${n}`);
  // Sorted and de-duplicated first, so the order the run listed them in does not matter.
  const pool = [...new Set(highUens)].sort();
  const random = mulberry32(fnv1a(runId));
  const take = Math.min(n, pool.length);
  // A partial Fisher–Yates shuffle: the first `take` slots are the sample.
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
