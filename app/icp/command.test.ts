import { describe, expect, it } from "vitest";
import { applyIcpCommand, understandIcpCommand, type IcpChange, type ScheduleChange } from "./command";
import { defaultIcpRules, IcpRulesSchema } from "./rules";

type Expected = { change?: IcpChange; schedule?: ScheduleChange | null; refresh?: boolean };

const cases: Array<[string, Expected]> = [
  [
    "Refresh ICP to software, 10–200 employees; run nightly.",
    { change: { industries: ["software"], employees: { min: 10, max: 200 } }, schedule: { enabled: true }, refresh: true },
  ],
  [
    "Refresh ICP to software, 10-200 employees; run nightly",
    { change: { industries: ["software"], employees: { min: 10, max: 200 } }, schedule: { enabled: true } },
  ],
  [
    "Set ICP to fintech and logistics, 50 to 500 staff",
    { change: { industries: ["fintech", "logistics"], employees: { min: 50, max: 500 } }, schedule: null, refresh: false },
  ],
  ["Update ICP: software, SaaS; 10 to 200 employees", { change: { industries: ["software"], employees: { min: 10, max: 200 } } }],
  ["ICP: F&B between 5 and 50 people", { change: { industries: ["food_and_beverage"], employees: { min: 5, max: 50 } } }],
  ["Target manufacturing companies with between 20 and 100 employees", { change: { industries: ["manufacturing"], employees: { min: 20, max: 100 } } }],
  [
    "Refresh ICP to construction, headcount 10-50; don't run nightly",
    { change: { industries: ["construction"], employees: { min: 10, max: 50 } }, schedule: { enabled: false } },
  ],
  ["Change ICP to software but not fintech", { change: { industries: ["software"], excludedIndustries: ["fintech"] } }],
  [
    "ICP software excluding consulting, run at 2am",
    { change: { industries: ["software"], excludedIndustries: ["consulting"] }, schedule: { enabled: true, hourSgt: 2 } },
  ],
  ["Pause nightly", { change: {}, schedule: { enabled: false } }],
  ["Don't run nightly.", { change: {}, schedule: { enabled: false } }],
  ["do not run it nightly", { change: {}, schedule: { enabled: false } }],
  ["Run at 2am", { change: {}, schedule: { enabled: true, hourSgt: 2 } }],
  ["run nightly at 11pm SGT", { change: {}, schedule: { enabled: true, hourSgt: 23 } }],
  ["Resume nightly runs", { change: {}, schedule: { enabled: true } }],
  ["Refresh ICP to healthcare and education, 10 – 200 employees", { change: { industries: ["healthcare", "education"], employees: { min: 10, max: 200 } } }],
  ["Focus on real estate, wholesale and retail", { change: { industries: ["real_estate", "wholesale", "retail"] } }],
  ["Set ICP to food and beverage, 20—100 staff", { change: { industries: ["food_and_beverage"], employees: { min: 20, max: 100 } } }],
  ["Target logistics with at least 50 employees", { change: { industries: ["logistics"], employees: { min: 50 } } }],
  ["Refresh ICP to marketing agencies, up to 30 people", { change: { industries: ["marketing"], employees: { max: 30 } } }],
  ["accounting and legal firms with fewer than 20 staff", { change: { industries: ["accounting", "legal"], employees: { max: 19 } } }],
  ["Set ICP to engineering, 100+ employees, daily cap 50", { change: { industries: ["engineering"], employees: { min: 100 }, dailyCap: 50 } }],
  ["Refresh ICP to IT, 10-200 headcount", { change: { industries: ["it_services"], employees: { min: 10, max: 200 } } }],
  ["Target cleaning and security companies in the east", { change: { industries: ["cleaning", "security"], regions: ["east"] } }],
  [
    "ICP = software excluding gaming and cybersecurity; stop nightly runs",
    { change: { industries: ["software"], excludedIndustries: ["gaming", "cybersecurity"] }, schedule: { enabled: false } },
  ],
  ["Refresh ICP", { change: {}, schedule: null, refresh: true }],
  [
    "Set ICP to fintech; employees between 10 and 50; run at 3 am",
    { change: { industries: ["fintech"], employees: { min: 10, max: 50 } }, schedule: { enabled: true, hourSgt: 3 } },
  ],
  ["Switch ICP to consulting, team size 5-25, 30 leads per day", { change: { industries: ["consulting"], employees: { min: 5, max: 25 }, dailyCap: 30 } }],
  ["Refresh ICP to logistics, 10k-50k employees", { change: { industries: ["logistics"], employees: { min: 10000, max: 50000 } } }],
  ["turn off the nightly schedule", { change: {}, schedule: { enabled: false } }],
];

describe("understandIcpCommand", () => {
  it("covers at least 25 phrasings", () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)("%s", (sentence, expected) => {
    const result = understandIcpCommand(sentence);
    if (!result.ok) throw new Error(`not understood: ${result.message}`);
    expect(result.change).toEqual(expected.change ?? {});
    if (expected.schedule !== undefined) expect(result.schedule).toEqual(expected.schedule);
    if (expected.refresh !== undefined) expect(result.refresh).toBe(expected.refresh);
    expect(result.summary.length).toBeGreaterThan(0);
  });

  it.each([
    ["make me a sandwich", /I didn't understand “make me a sandwich”/],
    ["Refresh ICP to softwear, 10-200 employees", /I didn't understand “softwear”\. Did you mean “software”/],
    ["Set ICP to logistcs and fintech", /“logistcs”.*“logistics”/],
    ["Refresh ICP to software, 10-200", /For a company size, say for example “10-200 employees”/],
    ["", /I didn't understand/],
  ])("explains what it did not understand: %s", (sentence, message) => {
    const result = understandIcpCommand(sentence);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(message);
    expect(result.suggestions.length).toBeGreaterThan(0);
  });

  it("rejects impossible ranges and times", () => {
    const backwards = understandIcpCommand("software, 200-10 employees");
    expect(backwards.ok === false && backwards.message).toMatch(/runs backwards/);
    const halfHour = understandIcpCommand("run at 2:30am");
    expect(halfHour.ok === false && halfHour.message).toMatch(/on the hour/);
    const noon = understandIcpCommand("run at 13pm");
    expect(noon.ok).toBe(false);
    const cap = understandIcpCommand("daily cap 0");
    expect(cap.ok === false && cap.message).toMatch(/out of range/);
  });

  it("applies a command to rules, keeping what it does not mention", () => {
    const result = understandIcpCommand("Refresh ICP to technology but not gaming, 20-80 staff; pause nightly");
    if (!result.ok) throw new Error(result.message);
    const rules = applyIcpCommand(defaultIcpRules(), result);
    expect(rules.industries).toEqual(["technology"]);
    expect(rules.excludedIndustries).toEqual(["gaming"]);
    expect(rules.employees).toEqual({ min: 20, max: 80 });
    expect(rules.nightly).toEqual({ enabled: false, hourSgt: 2 });
    expect(rules.freeMail).toBe("exclude");
    expect(IcpRulesSchema.safeParse(rules).success).toBe(true);
  });
});
