import { describe, expect, it } from "vitest";
import { defaultIcpRules, diffIcpRules, parseIcpRules } from "./rules";
import { changeText, rulesSummary, ruleValueText } from "./rules-text";

describe("ICP rules in words", () => {
  it("describes each kind of change", () => {
    const before = parseIcpRules({ industries: ["software"], employees: { min: 10, max: 200 }, dailyCap: 50 });
    const after = parseIcpRules({ industries: ["software", "F&B"], employees: { min: 10, max: 500 }, nightly: { enabled: false } });
    expect(diffIcpRules(before, after).map(changeText)).toEqual([
      "Daily cap: removed (was 50)",
      "Employees (max): 200 → 500",
      "Industries: + Food and beverage (F&B)",
      "Nightly run: off (new)",
    ]);
  });

  it("writes values the way people read them", () => {
    expect(ruleValueText("nightly.hourSgt", 2)).toBe("02:00");
    expect(ruleValueText("freeMail", "exclude")).toBe("exclude free-mail addresses");
    expect(ruleValueText("industries", [])).toBe("none");
  });

  it("summarises the default rules line by line", () => {
    expect(rulesSummary(defaultIcpRules())).toEqual(
      expect.arrayContaining([
        { label: "Industries", value: "Software and SaaS" },
        { label: "Employees", value: "10–200" },
        { label: "Nightly run", value: "on at 02:00 SGT" },
        { label: "Buckets", value: "High ≥ 85, Medium ≥ 65" },
      ]),
    );
  });
});
