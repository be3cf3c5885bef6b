import { describe, expect, it } from "vitest";
import { page, site } from "../../tests/support/harbour-freight-site";
import { detectIndustry, vocabularyIndustry } from "./industry.server";

describe("detectIndustry", () => {
  it("names the industry from keywords, weighting home and about pages", () => {
    expect(detectIndustry(site)).toBe("Logistics and transport");
    expect(detectIndustry([page("home", "We build cloud software: a SaaS platform with an API for clinics.")])).toBe("Software and SaaS");
    expect(detectIndustry([page("home", "Welcome to our website.", { title: "Welcome" })])).toBeNull();
  });

  it.each([
    ["We offer audit and assurance, bookkeeping and corporate secretarial services to SMEs.", "Accounting, audit and tax"],
    ["Executive search and contract staffing: our recruitment consultants place finance talent.", "HR and recruitment"],
    ["Managed IT services and network infrastructure for offices; IT support on call.", "IT services and consulting"],
    ["Management consultancy for SMEs: business strategy and process improvement.", "Management consulting"],
    ["Engineering services: HVAC design and mechanical and electrical engineering for plants.", "Engineering services"],
  ])("names the vocabulary's specific label, not its broader neighbour: %j", (text, label) => {
    expect(detectIndustry([page("home", text)])).toBe(label);
  });
});

describe("industry comes from the ICP's vocabulary or stays empty", () => {
  it.each([
    ["Freight forwarding", "Logistics and transport"],
    ["Food & Beverage", "Food and beverage (F&B)"],
    ["Software and SaaS", "Software and SaaS"],
    ["Logistics & Supply Chain", "Logistics and transport"],
    ["Fitness", "Sports and fitness"],
  ])("keeps %j as the vocabulary's label %j", (answer, label) => {
    expect(vocabularyIndustry(answer)).toBe(label);
  });

  it.each(["Sentosa has been a neighbourhood yoga studio in Melbourne since 1997.", "We help companies grow", "Quantum basket weaving", "", null])(
    "drops %j",
    (answer) => {
      expect(vocabularyIndustry(answer)).toBeNull();
    },
  );
});
