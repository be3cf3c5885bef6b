/**
 * A skewed service time: most requests near `median`, none under `min`, a
 * long tail capped at `max` (a shifted log-normal: `min + (median − min) ·
 * e^(σz)`), the way real APIs answer: a few slow ones, never instant.
 */
export type LatencyTail = { min: number; median: number; max: number; sigma?: number };

/** Added delay per request (ms): fixed, uniform in [min, max], or a skewed tail. */
export type Latency = number | [number, number] | LatencyTail;

/** A standard normal deviate from two uniforms (Box–Muller), so a seeded generator gives the same tail every run. */
function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** One draw of `spec` from `random` (values in [0, 1)); whole milliseconds. */
export function drawLatency(spec: Latency | undefined, random: () => number): number {
  if (spec === undefined) return 0;
  if (typeof spec === "number") return spec;
  if (Array.isArray(spec)) {
    const [min, max] = spec;
    return Math.round(min + random() * Math.max(0, max - min));
  }
  const sigma = spec.sigma ?? 0.9;
  return Math.round(Math.min(spec.max, spec.min + (spec.median - spec.min) * Math.exp(sigma * normal(random))));
}
