import { describe, expect, it } from "vitest";
import { matchContactTitles, matchesContactTitle, parseContactTitles, titleTokens } from "./contact-titles.server";

describe("titleTokens", () => {
  it("folds phrases, abbreviations, punctuation and case", () => {
    expect(titleTokens("Chief Executive Officer")).toEqual(["ceo"]);
    expect(titleTokens("Co-Founder & C.E.O.")).toEqual(["founder", "ceo"]);
    expect(titleTokens("VP, Business Development – APAC")).toEqual(["vp", "sales", "apac"]);
    expect(titleTokens("Managing Director")).toEqual(["md"]);
  });
});

describe("matchesContactTitle", () => {
  it.each([
    ["Co-Founder & CEO", "Founder"],
    ["Co-founder and Chief Executive Officer", "CEO"],
    ["Group CEO", "CEO"],
    ["cofounder", "Founder"],
    ["Director of Sales", "Sales Director"],
    ["Vice President, Sales (APAC)", "VP Sales"],
    ["Sales Lead, Singapore", "Head of Sales"],
    ["Head of Business Development", "Head of Sales"],
    ["Senior Sales Manager", "Sales Manager"],
    ["MANAGING DIRECTOR", "Managing Director"],
    ["General Manager – Operations", "General Manager"],
    ["Chief Technology Officer", "CTO"],
    ["Head of People & Culture", "Head of HR"],
    ["Director, Ops", "Operations Director"],
  ])("%s matches %s", (candidate, wanted) => {
    expect(matchesContactTitle(candidate, wanted)).toBe(true);
  });

  it.each([
    ["Executive Assistant to the CEO", "CEO"],
    ["Assistant Sales Manager", "Sales Manager"],
    ["Sales Intern", "Sales"],
    ["Former CEO at Acme", "CEO"],
    ["Software Engineer", "CTO"],
    ["Marketing Manager", "Sales Manager"],
    ["Chief Financial Officer", "CEO"],
    ["", "CEO"],
  ])("%s does not match %s", (candidate, wanted) => {
    expect(matchesContactTitle(candidate, wanted)).toBe(false);
  });

  it("lets a wanted title that names a disqualifier match it", () => {
    expect(matchesContactTitle("Assistant Manager, Procurement", "Assistant Manager")).toBe(true);
  });

  it("ignores empty or stop-word-only wanted titles", () => {
    expect(matchesContactTitle("CEO", "  ")).toBe(false);
    expect(matchesContactTitle("CEO", "of the")).toBe(false);
  });
});

describe("matchContactTitles", () => {
  it("returns the first wanted title that matches", () => {
    expect(matchContactTitles("Founder & Managing Director", ["CTO", "Managing Director", "Founder"])).toBe("Managing Director");
    expect(matchContactTitles("Accountant", ["CTO", "Founder"])).toBeUndefined();
    expect(matchContactTitles(null, ["CTO"])).toBeUndefined();
  });
});

describe("parseContactTitles", () => {
  it("splits, trims and removes equivalent duplicates", () => {
    expect(parseContactTitles("CEO, Chief Executive Officer ; Head of Sales\n\n, ")).toEqual(["CEO", "Head of Sales"]);
    expect(parseContactTitles(["Founder", "Co-Founder", "CTO"])).toEqual(["Founder", "CTO"]);
  });
});
