import { describe, expect, it } from "vitest";
import { readReturnTo, returnToCookie, safeReturnTo } from "./return-to.server";

describe("safeReturnTo", () => {
  it("keeps paths on this site", () => {
    expect(safeReturnTo("/app/shortlist?bucket=High")).toBe("/app/shortlist?bucket=High");
    expect(safeReturnTo("/app/companies/42#score")).toBe("/app/companies/42#score");
  });

  it("refuses other origins and protocol-relative tricks", () => {
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", null, "/auth/callback"]) {
      expect(safeReturnTo(bad)).toBe("/app");
    }
  });

  it("refuses what a browser would resolve to another origin: tabs and newlines are dropped, backslashes read as slashes", () => {
    for (const bad of [
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/\\/evil.example",
      "/\u0000/x",
      "/.//evil.example",
      "/%2e/../auth/logout",
    ]) {
      const kept = safeReturnTo(bad);
      expect(kept === "/app" || new URL(kept, "http://localhost:3000/").origin === "http://localhost:3000").toBe(true);
      expect(kept.startsWith("//")).toBe(false);
    }
    expect(safeReturnTo("/\t/evil.example")).toBe("/app");
    expect(safeReturnTo("/.//evil.example")).toBe("/app");
  });

  it("round-trips through its cookie", () => {
    const cookie = returnToCookie("/app/runs/42").split(";")[0]!;
    expect(readReturnTo(new Request("http://x/", { headers: { cookie } }))).toBe("/app/runs/42");
  });

  it("checks the cookie's value again when reading it", () => {
    const cookie = `nexius_return_to=${encodeURIComponent("/\t/evil.example")}`;
    expect(readReturnTo(new Request("http://x/", { headers: { cookie } }))).toBe("/app");
    expect(readReturnTo(new Request("http://x/", { headers: { cookie: "nexius_return_to=%E0%A4%A" } }))).toBe("/app");
  });
});
