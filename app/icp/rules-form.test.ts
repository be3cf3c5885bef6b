import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { defaultIcpRules, parseIcpRules, InvalidIcpRulesError } from "./rules";
import { formToRulesInput, IcpRulesForm, issuesToFieldErrors, rulesToFormValues, splitList } from "./rules-form";

function errorsOf(input: unknown) {
  try {
    parseIcpRules(input);
    return {};
  } catch (error) {
    if (error instanceof InvalidIcpRulesError) return issuesToFieldErrors(error.issues);
    throw error;
  }
}

describe("the ICP editor's form", () => {
  it("round-trips the default rules unchanged", () => {
    const rules = defaultIcpRules();
    const { input, errors } = formToRulesInput(rulesToFormValues(rules));
    expect(errors).toEqual({});
    expect(parseIcpRules(input)).toEqual(rules);
  });

  it("round-trips every kind of field", () => {
    const rules = parseIcpRules({
      industries: ["software", "logistics"],
      excludedIndustries: ["finance"],
      ssic: { include: ["62", "5820"], exclude: ["64"] },
      includeSecondarySsic: true,
      entityTypes: ["Local Company"],
      statuses: ["Live Company"],
      incorporated: { from: "2010-01-01", to: "2020-12-31" },
      ageYears: { min: 2, max: 15 },
      postal: { districts: [1, 9], regions: ["east"] },
      nameKeywords: { include: ["tech"], exclude: ["holdings"] },
      employees: { min: 10, max: 200 },
      contactTitles: ["CEO", "CTO"],
      dailyCap: 150,
      nightly: { enabled: false, hourSgt: 3 },
      freeMail: "allow_low_confidence",
      scoreThresholds: { high: 75, medium: 45 },
      candidateFloor: 20,
    });
    const { input, errors } = formToRulesInput(rulesToFormValues(rules));
    expect(errors).toEqual({});
    expect(parseIcpRules(input)).toEqual(rules);
  });

  it("reads a posted form as rules, repeated names as lists", () => {
    const data = new FormData();
    data.append("intent", "save");
    data.append("industries", "software");
    data.append("industries", "logistics");
    data.append("regions", "east");
    data.append("employeesMin", "10");
    data.append("nightlyEnabled", "on");
    const submission = parseWithZod(data, { schema: IcpRulesForm, disableAutoCoercion: true });
    expect(submission.status).toBe("success");
    expect(submission.status === "success" && submission.value).toEqual({
      industries: ["software", "logistics"],
      postal: { regions: ["east"] },
      employees: { min: 10 },
      nightly: { enabled: true },
    });
  });

  it("answers a refused form with one message per field, numbers first", () => {
    const refuse = (fields: Record<string, string>) => {
      const submission = parseWithZod(new URLSearchParams(fields), { schema: IcpRulesForm, disableAutoCoercion: true });
      return submission.status === "success" ? null : submission.error;
    };
    expect(refuse({ employeesMin: "500", employeesMax: "10", dailyCap: "lots" })).toEqual({ dailyCap: ["Enter a whole number."] });
    expect(refuse({ employeesMin: "500", employeesMax: "10", ssicInclude: "62, 6x, 7y" })).toEqual({
      employeesMax: ["min must not exceed max"],
      ssicInclude: ["Item 2: an SSIC code or prefix is 1 to 5 digits"],
    });
  });

  it("splits typed lists on commas, semicolons and new lines", () => {
    expect(splitList("CEO, CTO;Head of Sales\n\nFounder ")).toEqual(["CEO", "CTO", "Head of Sales", "Founder"]);
  });

  it("reports numbers that are not numbers on their own field", () => {
    const { errors } = formToRulesInput({ employeesMin: "ten", dailyCap: "1.5", scoreHigh: "70" });
    expect(errors).toEqual({ employeesMin: "Enter a whole number.", dailyCap: "Enter a whole number.", scoreMedium: "Give both thresholds, or neither." });
  });

  it("maps the schema's issues back onto the fields that caused them", () => {
    expect(errorsOf(formToRulesInput({ employeesMin: "500", employeesMax: "10" }).input)).toEqual({ employeesMax: "min must not exceed max" });
    expect(errorsOf(formToRulesInput({ scoreHigh: "40", scoreMedium: "70" }).input)).toEqual({ scoreHigh: "high must be above medium" });
    expect(errorsOf(formToRulesInput({ ssicInclude: "62, abc" }).input)).toEqual({ ssicInclude: "Item 2: an SSIC code or prefix is 1 to 5 digits" });
    expect(errorsOf(formToRulesInput({ incorporatedFrom: "2020-01-01", incorporatedTo: "2019-01-01" }).input)).toEqual({
      incorporatedTo: "from must not be after to",
    });
    expect(errorsOf(formToRulesInput({ nightlyEnabled: "on", nightlyHour: "25" }).input)).toHaveProperty("nightlyHour");
    expect(errorsOf(formToRulesInput({ dailyCap: "0" }).input)).toHaveProperty("dailyCap");
  });
});
