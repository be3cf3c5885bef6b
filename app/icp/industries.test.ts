import { describe, expect, it } from "vitest";
import { SSIC_DIVISIONS, ssicCodesWithPrefix } from "../registry/ssic-2020";
import { closeIndustryMatches, findIndustry, INDUSTRIES, normalizeIndustryWord, resolveIndustries, ssicPrefixesFor } from "./industries";

describe("industry vocabulary", () => {
  it.each(INDUSTRIES.map((i) => [i.key, i] as const))("%s: its words resolve to it and its prefixes name SSIC codes", (key, industry) => {
    expect(findIndustry(key)?.key).toBe(key);
    for (const synonym of industry.synonyms) expect(findIndustry(synonym)?.key, synonym).toBe(key);
    for (const prefix of industry.ssicPrefixes) {
      if (prefix.length === 2) expect(SSIC_DIVISIONS, prefix).toContain(prefix);
      else expect(ssicCodesWithPrefix(prefix).length, `no SSIC code starts with ${prefix}`).toBeGreaterThan(0);
    }
  });

  it("gives no word to two industries", () => {
    const owner = new Map<string, string>();
    for (const industry of INDUSTRIES) {
      for (const word of [industry.key, ...industry.synonyms].map(normalizeIndustryWord)) {
        expect(owner.get(word) ?? industry.key, `"${word}" is claimed by ${owner.get(word)} and ${industry.key}`).toBe(industry.key);
        owner.set(word, industry.key);
      }
    }
  });

  it("covers the words the product promises", () => {
    const words = [
      "software",
      "SaaS",
      "fintech",
      "logistics",
      "F&B",
      "food and beverage",
      "manufacturing",
      "construction",
      "healthcare",
      "education",
      "real estate",
      "retail",
      "wholesale",
      "marketing",
      "consulting",
      "legal",
      "accounting",
      "engineering",
      "cleaning",
      "security",
    ];
    for (const word of words) expect(findIndustry(word), word).toBeDefined();
  });

  it("accepts spacing, case and plural variants", () => {
    expect(findIndustry("F & B")?.key).toBe("food_and_beverage");
    expect(findIndustry("Food & Beverage")?.key).toBe("food_and_beverage");
    expect(findIndustry("  LOGISTICS ")?.key).toBe("logistics");
    expect(findIndustry("law firm")?.key).toBe("legal");
    expect(findIndustry("software companies")?.key).toBe("software");
    expect(findIndustry("manufacturer")?.key).toBe("manufacturing");
  });

  it("explains unknown words with close matches", () => {
    const result = resolveIndustries(["softwear", "logistcs", "blockchain-ish quantum"]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.unknown.map((u) => u.word)).toEqual(["softwear", "logistcs", "blockchain-ish quantum"]);
    expect(result.unknown[0]!.suggestions[0]).toBe("software");
    expect(result.unknown[1]!.suggestions[0]).toBe("logistics");
    expect(result.unknown[2]!.suggestions).toEqual([]);
    expect(result.message).toContain('Unknown industry "softwear". Did you mean "software"');
    expect(result.message).toContain('Try words like "software"');
  });

  it("suggests from several industries, not several spellings of one", () => {
    const suggestions = closeIndustryMatches("consult");
    expect(suggestions[0]).toMatch(/^consult/);
    expect(new Set(suggestions.map((s) => findIndustry(s)?.key)).size).toBe(suggestions.length);
  });

  it("resolves known words in order without duplicates", () => {
    const result = resolveIndustries(["software", "SaaS", "logistics"]);
    expect(result.ok && result.industries.map((i) => i.key)).toEqual(["software", "logistics"]);
  });

  it("merges prefixes, dropping those a shorter prefix covers", () => {
    expect(ssicPrefixesFor(["software", "technology"])).toEqual(["5820", "62", "631"]);
    expect(ssicPrefixesFor(["cleaning", "pest_control"])).toEqual(["812"]);
    expect(ssicPrefixesFor([])).toEqual([]);
  });
});
