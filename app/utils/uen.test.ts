import { describe, expect, it } from "vitest";
import { looksLikeUen } from "./uen";

describe("looksLikeUen", () => {
  it("accepts ACRA's business, local company and other-entity shapes, in any case and with spaces around", () => {
    expect(["53123456A", "201912345K", "T19LL1234A", " s08ss0001z "].map(looksLikeUen)).toEqual([true, true, true, true]);
  });

  it("refuses tax ids, short numbers and free text", () => {
    expect(["SG201912345K", "1234567A", "M2-1234567-8", "Acme Pte Ltd", ""].map(looksLikeUen)).toEqual([false, false, false, false, false]);
  });
});
