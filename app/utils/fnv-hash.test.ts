import { describe, expect, it } from "vitest";
import { fnv1a32 } from "./fnv-hash";

describe("FNV-1a", () => {
  it("gives the published 32-bit test vectors", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("is an unsigned 32-bit number", () => {
    for (const text of ["run-1", "ACME PTE. LTD.", "ü"]) {
      const h = fnv1a32(text);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    }
  });
});
