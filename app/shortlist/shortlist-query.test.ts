import { describe, expect, it } from "vitest";
import { isFiltered, parseShortlistSearch, shortlistSearch } from "./shortlist-query";

const parse = (query: string) => parseShortlistSearch(new URLSearchParams(query));

describe("parseShortlistSearch", () => {
  it("defaults to today, no filters, page 1", () => {
    expect(parse("")).toEqual({ query: { date: null, bucket: null, industry: null, q: null, hasEmail: false, page: 1 }, errors: {} });
  });

  it("reads every filter", () => {
    const { query, errors } = parse("date=2026-11-20&bucket=High&industry=Software&hasEmail=1&q=%20codigo%20&page=3");
    expect(errors).toEqual({});
    expect(query).toEqual({ date: "2026-11-20", bucket: "High", industry: "Software", hasEmail: true, q: "codigo", page: 3 });
  });

  it("reports each bad field on its own and keeps the good ones", () => {
    const { query, errors } = parse("date=2026-02-30&bucket=Top&q=lumen&page=-2");
    expect(errors.date).toBe("Not a calendar date");
    expect(errors.bucket).toMatch(/High, Medium or Low/);
    expect(errors.page).toBe("Page starts at 1");
    expect(query).toMatchObject({ date: null, bucket: null, q: "lumen", page: 1 });
  });

  it("rejects a malformed date and an over-long search", () => {
    expect(parse("date=22-11-2026").errors.date).toMatch(/2026-11-22/);
    expect(parse(`q=${"x".repeat(101)}`).errors.q).toMatch(/100/);
  });

  it("rejects year 0000, which Postgres has no day for", () => {
    expect(parse("date=0000-01-01").errors.date).toBe("Not a calendar date");
    expect(parse("date=0001-01-01").errors).toEqual({});
  });

  it("rejects searches and industries holding control characters, which Postgres text cannot store", () => {
    const { query, errors } = parse("q=a%00b&industry=Soft%01ware");
    expect(errors).toEqual({ q: "Remove the control characters", industry: "Remove the control characters" });
    expect(query).toMatchObject({ q: null, industry: null });
  });

  it("treats an empty value as not given", () => {
    expect(parse("bucket=&q=%20&date=").errors).toEqual({});
  });
});

describe("shortlistSearch", () => {
  it("round-trips through the parser and leaves defaults out", () => {
    const filters = { date: "2026-11-20", bucket: "Medium" as const, industry: "Logistics & Freight", hasEmail: true, q: "a&b", page: 2 };
    const text = shortlistSearch(filters);
    expect(parse(text.slice(1)).query).toEqual(filters);
    expect(shortlistSearch({ page: 1, hasEmail: false })).toBe("");
  });

  it("knows when filters narrow the list", () => {
    expect(isFiltered({ date: "2026-11-20", bucket: null, industry: null, hasEmail: false, q: null })).toBe(false);
    expect(isFiltered({ date: null, bucket: null, industry: null, hasEmail: true, q: null })).toBe(true);
  });
});
