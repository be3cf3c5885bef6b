import { describe, expect, it } from "vitest";
import { chunks, countBy, groupBy } from "./collections";

describe("chunks", () => {
  it("cuts a list into batches of at most the size, the last one shorter", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([1, 2], 5)).toEqual([[1, 2]]);
    expect(chunks([], 3)).toEqual([]);
  });

  it("refuses a batch size that would never finish", () => {
    expect(() => chunks([1], 0)).toThrow(RangeError);
    expect(() => chunks([1], 1.5)).toThrow(RangeError);
  });
});

describe("groupBy", () => {
  it("groups by key in the items' order and leaves out items without a key", () => {
    const partners = [
      { id: 1, ref: "A" },
      { id: 2, ref: undefined },
      { id: 3, ref: "B" },
      { id: 4, ref: "A" },
    ];
    const byRef = groupBy(partners, (p) => p.ref);
    expect([...byRef.keys()]).toEqual(["A", "B"]);
    expect(byRef.get("A")?.map((p) => p.id)).toEqual([1, 4]);
    expect(byRef.get("B")?.map((p) => p.id)).toEqual([3]);
  });
});

describe("countBy", () => {
  it("counts items per key", () => {
    const excluded = [{ reason: "suppressed" }, { reason: "no_domain" }, { reason: "suppressed" }];
    expect(countBy(excluded, (e) => e.reason)).toEqual({ suppressed: 2, no_domain: 1 });
    expect(countBy([], (e: { reason: string }) => e.reason)).toEqual({});
  });
});
