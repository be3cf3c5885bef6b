import { describe, expect, it } from "vitest";
import { shapeMismatches } from "./json-shape";

describe("shapeMismatches", () => {
  it("accepts a value with every documented key and type, extra keys included", () => {
    expect(shapeMismatches({ a: 1, b: "x", c: [{ d: true }], extra: 5 }, { a: 2, b: "y", c: [{ d: false }] })).toEqual([]);
  });

  it("names missing keys and wrong types by their path", () => {
    expect(shapeMismatches({ a: "1", c: [{ d: "no" }] }, { a: 1, b: "y", c: [{ d: false }] })).toEqual([
      "$.b: missing",
      "$.c[0].d: expected boolean, got string",
    ]);
    expect(shapeMismatches({ a: "one" }, { a: 1 })).toEqual(["$.a: expected number, got string"]);
  });

  it("lets a documented null stand for any value, and numbers match numeric strings", () => {
    expect(shapeMismatches({ a: { deep: 1 }, t: 1.67 }, { a: null, t: "1.67" })).toEqual([]);
  });

  it("refuses null where the example has a value, and an empty list where it has items", () => {
    expect(shapeMismatches({ answer: null, results: [] }, { answer: "text", results: [{ url: "u" }] })).toEqual([
      "$.answer: expected string, got null",
      "$.results: empty, but the example has items",
    ]);
  });
});
