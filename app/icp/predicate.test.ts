import { describe, expect, it } from "vitest";
import { compileCountQuery, compileIcpPredicate, compileSampleQuery, hasIndustryScope } from "./predicate";
import { parseIcpRules } from "./rules";

const asOf = new Date("2026-09-30T00:00:00Z");

describe("compileIcpPredicate", () => {
  it("keeps live companies when the rules are empty", () => {
    expect(compileIcpPredicate(parseIcpRules({}), { asOf })).toEqual({
      text: "lower(s.entity_status_description) = ANY($1::text[])",
      params: [["live company", "live"]],
    });
  });

  it("compiles every registry filter to parameters", () => {
    const rules = parseIcpRules({
      industries: ["software", "fintech"],
      excludedIndustries: ["gaming"],
      ssic: { include: ["70201"], exclude: ["64200"] },
      entityTypes: ["Local Company"],
      statuses: ["Live Company"],
      incorporated: { from: "2010-01-01", to: "2024-12-31" },
      ageYears: { min: 2, max: 15 },
      postal: { districts: [1], regions: ["north"] },
      nameKeywords: { include: ["TECH"], exclude: ["HOLDINGS"] },
      employees: { min: 10, max: 200 },
    });
    const { text, params } = compileIcpPredicate(rules, { asOf, alias: "r", paramOffset: 2 });
    expect(text.split("\n  AND ")).toEqual([
      "lower(r.entity_status_description) = ANY($3::text[])",
      "r.primary_ssic_code LIKE ANY($4::text[])",
      "NOT (coalesce(r.primary_ssic_code, '') LIKE ANY($5::text[]))",
      "lower(r.entity_type_description) = ANY($6::text[])",
      "r.registration_incorporation_date >= $7::date",
      "r.registration_incorporation_date <= $8::date",
      "r.registration_incorporation_date <= $9::date",
      "r.registration_incorporation_date >= $10::date",
      "left(r.postal_code, 2) = ANY($11::text[])",
      "r.entity_name ILIKE ANY($12::text[])",
      "NOT (r.entity_name ILIKE ANY($13::text[]))",
    ]);
    expect(params).toEqual([
      ["live company"],
      ["5820%", "6201%", "6492%", "6499%", "6619%", "70201%"],
      ["58201%", "62012%", "64200%"],
      ["local company"],
      "2010-01-01",
      "2024-12-31",
      "2024-09-30",
      "2011-09-30",
      ["01", "02", "03", "04", "05", "06", "72", "73", "75", "76", "77", "78"],
      ["%TECH%"],
      ["%HOLDINGS%"],
    ]);
  });

  it("matches the secondary SSIC code only when asked", () => {
    const { text } = compileIcpPredicate(parseIcpRules({ industries: ["logistics"], includeSecondarySsic: true }), { asOf });
    expect(text).toContain("(s.primary_ssic_code LIKE ANY($2::text[]) OR s.secondary_ssic_code LIKE ANY($2::text[]))");
  });

  it("keeps only industries and live statuses in the fallback", () => {
    const rules = parseIcpRules({ industries: ["software"], statuses: ["Struck Off"], postal: { regions: ["east"] }, nameKeywords: { include: ["X"] } });
    expect(compileIcpPredicate(rules, { asOf, mode: "industry_fallback" })).toEqual({
      text: "lower(s.entity_status_description) = ANY($1::text[])\n  AND s.primary_ssic_code LIKE ANY($2::text[])",
      params: [
        ["live company", "live"],
        ["5820%", "6201%"],
      ],
    });
    expect(hasIndustryScope(rules)).toBe(true);
    expect(hasIndustryScope(parseIcpRules({ postal: { regions: ["east"] } }))).toBe(false);
  });

  it("never puts a value into the SQL text", () => {
    const hostile = "x'); DROP TABLE tenants; --";
    const rules = parseIcpRules({ statuses: [hostile], entityTypes: [hostile], nameKeywords: { include: [hostile], exclude: [hostile] } });
    for (const q of [compileIcpPredicate(rules, { asOf }), compileCountQuery(rules, { asOf }), compileSampleQuery(rules, { asOf, limit: 20 })]) {
      expect(q.text).not.toContain("DROP");
      expect(q.text).not.toContain("'x");
      expect(JSON.stringify(q.params)).toContain("DROP TABLE");
    }
  });

  it("numbers the sample's LIMIT after the predicate's parameters", () => {
    const q = compileSampleQuery(parseIcpRules({ industries: ["software"] }), { asOf, limit: 20 });
    expect(q.text).toMatch(/LIMIT \$3::int$/);
    expect(q.params.at(-1)).toBe(20);
  });
});
