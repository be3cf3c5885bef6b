import { describe, expect, it } from "vitest";
import { DEFAULT_ICP_RULES, diffIcpRules, effectiveStatuses, InvalidIcpRulesError, parseIcpRules } from "./rules";

describe("ICP rules", () => {
  it("accepts an empty object: every key is optional, statuses default to live", () => {
    const rules = parseIcpRules({});
    expect(rules).toEqual({});
    expect(effectiveStatuses(rules)).toEqual(["Live Company", "Live"]);
  });

  it("stores industries as vocabulary keys", () => {
    expect(parseIcpRules({ industries: ["F&B", "SaaS", "software"] }).industries).toEqual(["food_and_beverage", "software"]);
  });

  it("explains each problem with its path", () => {
    try {
      parseIcpRules({
        industries: ["softwear"],
        employees: { min: 50, max: 10 },
        nightly: { hourSgt: 25 },
        scoreThresholds: { high: 30, medium: 60 },
        colour: "red",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidIcpRulesError);
      const issues = (error as InvalidIcpRulesError).issues;
      const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
      expect(byPath["industries.0"]).toMatch(/Unknown industry "softwear". Did you mean "software"/);
      expect(byPath["employees.max"]).toMatch(/min must not exceed max/);
      expect(byPath["nightly.hourSgt"]).toBeDefined();
      expect(byPath["scoreThresholds.high"]).toMatch(/above medium/);
      expect(issues.some((i) => /colour/.test(i.message))).toBe(true);
    }
  });

  it("checks dates and SSIC prefixes", () => {
    expect(() => parseIcpRules({ incorporated: { from: "2020-02-30" } })).toThrow(/incorporated.from/);
    expect(() => parseIcpRules({ incorporated: { from: "2021-01-01", to: "2020-01-01" } })).toThrow(/from must not be after to/);
    expect(() => parseIcpRules({ ssic: { include: ["62'; DROP TABLE x"] } })).toThrow(/1 to 5 digits/);
  });

  it("the default template is valid", () => {
    expect(parseIcpRules(DEFAULT_ICP_RULES)).toEqual(DEFAULT_ICP_RULES);
  });

  it("diffs versions by path, with list items added and removed", () => {
    const before = parseIcpRules({ industries: ["software"], employees: { min: 10, max: 200 }, dailyCap: 100 });
    const after = parseIcpRules({ industries: ["software", "fintech"], employees: { min: 10, max: 500 }, freeMail: "exclude" });
    expect(diffIcpRules(before, after)).toEqual([
      { path: "dailyCap", kind: "removed", before: 100 },
      { path: "employees.max", kind: "changed", before: 200, after: 500 },
      { path: "freeMail", kind: "added", after: "exclude" },
      { path: "industries", kind: "changed", before: ["software"], after: ["software", "fintech"], addedItems: ["fintech"], removedItems: [] },
    ]);
    expect(diffIcpRules(after, after)).toEqual([]);
    expect(diffIcpRules(null, before).map((c) => c.kind)).toEqual(["added", "added", "added", "added"]);
  });
});
