import { describe, expect, it } from "vitest";
import { page, site } from "../../tests/support/harbour-freight-site";
import { detectIndustry, vocabularyIndustry } from "./industry.server";

describe("detectIndustry", () => {
  it("names the industry from keywords, weighting home and about pages", () => {
    expect(detectIndustry(site)).toBe("Logistics and transport");
    expect(detectIndustry([page("home", "We build cloud software: a SaaS platform with an API for clinics.")])).toBe("Software and SaaS");
    expect(detectIndustry([page("home", "Welcome to our website.", { title: "Welcome" })])).toBeNull();
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
