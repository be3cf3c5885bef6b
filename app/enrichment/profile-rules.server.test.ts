import { describe, expect, it } from "vitest";
import { site } from "../../tests/support/harbour-freight-site";
import { extractWithRules } from "./profile-rules.server";

describe("extractWithRules", () => {
  it("puts it together", () => {
    const profile = extractWithRules(site);
    expect(profile).toMatchObject({ industry: "Logistics and transport", headcount_estimate: 60 });
    expect(profile.emails).toContain("enquiry@harbourfreight.com.sg");
  });
});
