import { describe, expect, it } from "vitest";
import { apifyOutcomeAlert, contactFromApify, contactsFromLusha, contactsStillFresh, wantsLushaFallback } from "./contact-discovery.server";

const DAY_MS = 24 * 60 * 60 * 1000;
const now = new Date("2026-03-31T00:00:00Z");

describe("contactsStillFresh", () => {
  it("reuses contacts found without trouble less than 30 days ago", () => {
    expect(contactsStillFresh({ contactsStatus: "ok", enrichedAt: new Date(now.getTime() - 29 * DAY_MS) }, now)).toBe(true);
    expect(contactsStillFresh({ contactsStatus: "ok", enrichedAt: new Date(now.getTime() - 30 * DAY_MS) }, now)).toBe(false);
    expect(contactsStillFresh({ contactsStatus: "quota", enrichedAt: new Date(now.getTime() - DAY_MS) }, now)).toBe(false);
    expect(contactsStillFresh({ contactsStatus: "ok", enrichedAt: null }, now)).toBe(false);
    expect(contactsStillFresh(null, now)).toBe(false);
  });
});

describe("contacts from the vendors", () => {
  it("takes an Apify profile as it is, with nulls for what it lacks", () => {
    expect(
      contactFromApify({
        full_name: "Tan Wei Ling",
        title: "Head of Operations",
        company_current: null,
        linkedin_url: "https://www.linkedin.com/in/tanweiling",
        location: null,
      }),
    ).toEqual({
      fullName: "Tan Wei Ling",
      title: "Head of Operations",
      companyCurrent: null,
      linkedinUrl: "https://www.linkedin.com/in/tanweiling",
      location: null,
      email: null,
      source: "apify_linkedin",
    });
  });

  it("keeps Lusha's people with a LinkedIn profile, with their first email", () => {
    const person = { full_name: "Lim Boon Keng", title: "CEO", company_current: "Harbour Freight", location: "Singapore", phones: [] };
    const found = contactsFromLusha([
      {
        ...person,
        linkedin_url: "https://www.linkedin.com/in/limboonkeng",
        emails: [
          { email: "bk@harbourfreight.com.sg", type: "work", confidence: "A" },
          { email: "bk@gmail.com", type: "personal", confidence: "B" },
        ],
      },
      { ...person, full_name: "No Profile", linkedin_url: null, emails: [] },
    ]);
    expect(found).toEqual([
      {
        fullName: "Lim Boon Keng",
        title: "CEO",
        companyCurrent: "Harbour Freight",
        linkedinUrl: "https://www.linkedin.com/in/limboonkeng",
        location: "Singapore",
        email: "bk@harbourfreight.com.sg",
        source: "lusha",
      },
    ]);
  });
});

describe("wantsLushaFallback", () => {
  const someone = contactFromApify({ full_name: "A", title: null, company_current: null, linkedin_url: "https://www.linkedin.com/in/a", location: null });
  it.each([
    ["LinkedIn found someone", { outcome: "ok" as const, found: [someone] }, true, false],
    ["LinkedIn finished empty and the website said enough", { outcome: "ok" as const, found: [] }, false, false],
    ["LinkedIn finished empty and the website was thin", { outcome: "ok" as const, found: [] }, true, true],
    ["LinkedIn hit its cap", { outcome: "cap_reached" as const, found: [] }, false, true],
    ["LinkedIn failed", { outcome: "error" as const, found: [] }, false, true],
  ])("%s: %s", (_case, contacts, websiteThin, wanted) => {
    expect(wantsLushaFallback(contacts, websiteThin)).toBe(wanted);
  });
});

describe("apifyOutcomeAlert", () => {
  it("tells the operator about a reached daily cap and a used-up quota, and about nothing else", () => {
    expect(apifyOutcomeAlert("cap_reached", 40)).toMatchObject({ kind: "vendor_cap", severity: "info", message: expect.stringContaining("(40 actor runs)") });
    expect(apifyOutcomeAlert("quota", 40)).toMatchObject({ kind: "vendor_quota", severity: "warning" });
    expect([apifyOutcomeAlert("ok", 40), apifyOutcomeAlert("error", 40), apifyOutcomeAlert("disabled", 40)]).toEqual([null, null, null]);
  });
});
