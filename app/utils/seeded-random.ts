/**
 * A seeded random generator (mulberry32): small, fast, and the same sequence
 * for the same seed, so samples, generated data and simulators can be
 * reproduced. Returns numbers in [0, 1) like Math.random. Not for security.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
