import { describe, expect, it } from "vitest";
import { normalizeDomain } from "./domain";

describe("normalizeDomain", () => {
  it.each([
    ["https://WWW.Acme.com.sg/about", "acme.com.sg"],
    ["acme.sg", "acme.sg"],
    ["http://shop.example.com.sg:8080/?x=1", "shop.example.com.sg"],
    ["WWW.ACME.SG.", "acme.sg"],
    ["@acme.sg", "acme.sg"],
    ["  acme.sg#team ", "acme.sg"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
  ])("%j → %j", (raw, domain) => {
    expect(normalizeDomain(raw)).toBe(domain);
  });

  it("keeps labels that only start like www", () => {
    expect(normalizeDomain("www2.acme.sg")).toBe("www2.acme.sg");
    expect(normalizeDomain("wwwacme.sg")).toBe("wwwacme.sg");
  });
});
