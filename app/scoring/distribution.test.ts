import { describe, expect, it } from "vitest";
import { MAX_BUCKET_SHARE, distributionCheck } from "./distribution";
import { type Bucket } from "./score";

const many = (bucket: Bucket, n: number): Bucket[] => Array.from({ length: n }, () => bucket);

describe("distributionCheck", () => {
  it("passes a spread-out run and reports the shares", () => {
    const result = distributionCheck([...many("High", 3), ...many("Medium", 5), ...many("Low", 2)]);
    expect(result).toEqual({ ok: true, total: 10, shares: { High: 0.3, Medium: 0.5, Low: 0.2 } });
  });

  it("70 % exactly is allowed; anything above is not", () => {
    expect(distributionCheck([...many("Medium", 7), ...many("Low", 3)]).ok).toBe(true);
    const over = distributionCheck([...many("Medium", 71), ...many("Low", 29)]);
    expect(over).toMatchObject({ ok: false, offending: "Medium", total: 100 });
    expect(over.shares.Medium).toBeCloseTo(0.71, 10);
    expect(MAX_BUCKET_SHARE).toBe(0.7);
  });

  it("names whichever bucket is over, High included", () => {
    expect(distributionCheck({ High: 8, Medium: 1, Low: 1 }).offending).toBe("High");
    expect(distributionCheck({ Low: 9, High: 1 }).offending).toBe("Low");
    expect(distributionCheck(["High"]).offending).toBe("High");
  });

  it("accepts counts, with missing buckets as zero", () => {
    expect(distributionCheck({ High: 2, Low: 2 })).toEqual({ ok: true, total: 4, shares: { High: 0.5, Medium: 0, Low: 0.5 } });
  });

  it("an empty run is ok with zero shares", () => {
    expect(distributionCheck([])).toEqual({ ok: true, total: 0, shares: { High: 0, Medium: 0, Low: 0 } });
    expect(distributionCheck({})).toEqual({ ok: true, total: 0, shares: { High: 0, Medium: 0, Low: 0 } });
  });

  it("refuses things that are not buckets or counts", () => {
    expect(() => distributionCheck(["High", "Top" as Bucket])).toThrow(/Not a bucket/);
    expect(() => distributionCheck({ High: -1 })).toThrow(RangeError);
    expect(() => distributionCheck({ High: 1.5 })).toThrow(RangeError);
  });
});
