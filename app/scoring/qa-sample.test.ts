import { describe, expect, it } from "vitest";
import { pickQaSample } from "./qa-sample";

const uens = Array.from({ length: 40 }, (_, i) => `2019${String(i).padStart(5, "0")}K`);
const RUN = "5f0c8a52-3d6e-4f4e-9a57-0d3c3b1e2a11";

describe("pickQaSample", () => {
  it("picks 10 distinct High entries by default, all from the list", () => {
    const sample = pickQaSample(uens, RUN);
    expect(sample).toHaveLength(10);
    expect(new Set(sample).size).toBe(10);
    for (const uen of sample) expect(uens).toContain(uen);
  });

  it("is the same for the same run, whatever order the entries came in", () => {
    const reversed = [...uens].reverse();
    expect(pickQaSample(reversed, RUN)).toEqual(pickQaSample(uens, RUN));
    expect(pickQaSample([...uens, ...uens.slice(0, 5)], RUN)).toEqual(pickQaSample(uens, RUN));
  });

  it("differs between runs and is not simply the first entries", () => {
    const other = pickQaSample(uens, "0b7a1f3e-8c2d-4e5f-a6b7-c8d9e0f1a2b3");
    expect(other).not.toEqual(pickQaSample(uens, RUN));
    expect(pickQaSample(uens, RUN)).not.toEqual([...uens].sort().slice(0, 10));
  });

  it("spreads its picks over the whole list across runs", () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      for (const uen of pickQaSample(uens, `run-${i}`)) seen.set(uen, (seen.get(uen) ?? 0) + 1);
    }
    expect(seen.size).toBe(uens.length);
    // Each entry is expected 100 times (400 runs × 10 / 40); a biased shuffle lands far outside this band.
    for (const n of seen.values()) {
      expect(n).toBeGreaterThan(55);
      expect(n).toBeLessThan(150);
    }
  });

  it("returns everything when there are fewer than n, and respects a custom n", () => {
    expect(pickQaSample(uens.slice(0, 4), RUN).sort()).toEqual(uens.slice(0, 4));
    expect(pickQaSample(uens, RUN, 3)).toHaveLength(3);
    expect(pickQaSample(uens, RUN, 3)).toEqual(pickQaSample(uens, RUN, 10).slice(0, 3));
    expect(pickQaSample([], RUN)).toEqual([]);
    expect(pickQaSample(uens, RUN, 0)).toEqual([]);
  });

  it("refuses a negative or fractional size", () => {
    expect(() => pickQaSample(uens, RUN, -1)).toThrow(RangeError);
    expect(() => pickQaSample(uens, RUN, 2.5)).toThrow(RangeError);
  });
});
