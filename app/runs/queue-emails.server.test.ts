import { describe, expect, it } from "vitest";
import { emailCandidates, freeMailPolicy, isFreshVerification } from "./queue-emails.server";

describe("emailCandidates", () => {
  it("lists the website's addresses, then the contacts' that have one, each with its source", () => {
    const contact = { fullName: "A", title: null, companyCurrent: null, linkedinUrl: "https://www.linkedin.com/in/a", location: null };
    expect(
      emailCandidates(
        ["enquiry@harbourfreight.com.sg"],
        [
          { ...contact, email: "a@harbourfreight.com.sg", source: "lusha" },
          { ...contact, email: null, source: "apify_linkedin" },
        ],
      ),
    ).toEqual([
      { email: "enquiry@harbourfreight.com.sg", source: "website" },
      { email: "a@harbourfreight.com.sg", source: "lusha" },
    ]);
  });
});

describe("freeMailPolicy", () => {
  it.each([
    ["allow", "allow_low_confidence"],
    ["allow_low_confidence", "allow_low_confidence"],
    ["exclude", "exclude"],
    [undefined, "exclude"],
  ] as const)("the ICP's %j keeps free-mail as %j", (rule, policy) => {
    expect(freeMailPolicy(rule)).toBe(policy);
  });
});

describe("isFreshVerification", () => {
  const now = new Date("2026-03-31T00:00:00Z");
  const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
  it("reuses a verification younger than 90 days unless it said unknown", () => {
    expect(isFreshVerification({ status: "valid", checkedAt: daysAgo(89) }, now)).toBe(true);
    expect(isFreshVerification({ status: "invalid", checkedAt: daysAgo(1) }, now)).toBe(true);
    expect(isFreshVerification({ status: "valid", checkedAt: daysAgo(90) }, now)).toBe(false);
    expect(isFreshVerification({ status: "unknown", checkedAt: daysAgo(1) }, now)).toBe(false);
    expect(isFreshVerification(null, now)).toBe(false);
  });
});
