import { describe, expect, it } from "vitest";
import { readReturnTo, returnToCookie, safeReturnTo } from "./return-to.server";

describe("safeReturnTo", () => {
  it("keeps paths on this site", () => {
    expect(safeReturnTo("/app/shortlist?bucket=High")).toBe("/app/shortlist?bucket=High");
  });

  it("refuses other origins and protocol-relative tricks", () => {
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", null, "/auth/callback"]) {
      expect(safeReturnTo(bad)).toBe("/app");
    }
  });

  it("round-trips through its cookie", () => {
    const cookie = returnToCookie("/app/runs/42").split(";")[0]!;
    expect(readReturnTo(new Request("http://x/", { headers: { cookie } }))).toBe("/app/runs/42");
  });
});
