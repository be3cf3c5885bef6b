import { describe, expect, it } from "vitest";
import { page } from "../../tests/support/harbour-freight-site";
import { blocks, byKind, dedupe } from "./source-pages.server";

describe("byKind", () => {
  it("puts about before home, products, services, contact and careers, and unknown kinds last, keeping same-kind order", () => {
    const pages = [page("careers", "c"), page("blog", "b1"), page("contact", "ct"), page("home", "h"), page("About Us", "a"), page("blog", "b2")];
    expect(byKind(pages).map((p) => p.text)).toEqual(["a", "h", "ct", "c", "b1", "b2"]);
    expect(pages.map((p) => p.text)).toEqual(["c", "b1", "ct", "h", "a", "b2"]);
  });
});

describe("blocks", () => {
  it("splits at blank lines, even ones holding spaces, and drops empty blocks", () => {
    expect(blocks("  One\ntwo  \n\n \n\nThree\n   \nFour\n\n")).toEqual(["One\ntwo", "Three", "Four"]);
  });
});

describe("dedupe", () => {
  it("keeps the first spelling of values that differ only in case", () => {
    expect(dedupe(["Air Freight", "air freight", "Sea Freight", "AIR FREIGHT"])).toEqual(["Air Freight", "Sea Freight"]);
  });
});
