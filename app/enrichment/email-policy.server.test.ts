import { describe, expect, it } from "vitest";
import { applyEmailPolicy, isBusinessEmail, isFreeMailDomain, isRoleAddress, normalizeEmail } from "./email-policy.server";

describe("normalizeEmail", () => {
  it.each([
    ["  Sales@LionCityRobotics.SG ", "sales@lioncityrobotics.sg"],
    ["mailto:hello@lioncityrobotics.sg?subject=Hi", "hello@lioncityrobotics.sg"],
    ["<wei.ming@acme.com.sg>,", "wei.ming@acme.com.sg"],
    ["mailto:info%40acme.sg", "info@acme.sg"],
  ])("%s → %s", (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each(["not an email", "a@b", "a..b@acme.sg", "@acme.sg", "name@-acme.sg", "logo@2x.png.", ""])("rejects %s", (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });
});

describe("free-mail and business addresses", () => {
  it.each([
    "gmail.com",
    "yahoo.com.sg",
    "yahoo.co.uk",
    "hotmail.com",
    "hotmail.sg",
    "outlook.com",
    "live.com.sg",
    "icloud.com",
    "singnet.com.sg",
    "pacific.net.sg",
  ])("%s is free-mail", (d) => expect(isFreeMailDomain(d)).toBe(true));

  it.each(["lioncityrobotics.sg", "livewire.com.sg", "outlookventures.com", "dbs.com"])("%s is not free-mail", (d) => {
    expect(isFreeMailDomain(d)).toBe(false);
  });

  it("accepts company addresses and rejects free, throwaway and placeholder ones", () => {
    expect(isBusinessEmail("weiming.tan@lioncityrobotics.sg")).toBe(true);
    expect(isBusinessEmail("weiming@gmail.com")).toBe(false);
    expect(isBusinessEmail("x@mailinator.com")).toBe(false);
    expect(isBusinessEmail("name@example.com")).toBe(false);
    expect(isBusinessEmail("broken")).toBe(false);
  });

  it("detects shared role mailboxes", () => {
    expect(isRoleAddress("info@acme.sg")).toBe(true);
    expect(isRoleAddress("sales+web@acme.sg")).toBe(true);
    expect(isRoleAddress("no-reply@acme.sg")).toBe(true);
    expect(isRoleAddress("priya.nair@acme.sg")).toBe(false);
  });
});

describe("applyEmailPolicy", () => {
  const input = [
    "Priya.Nair@LionCityRobotics.sg",
    "priya.nair@lioncityrobotics.sg",
    "sales@lioncityrobotics.sg",
    "owner@gmail.com",
    "unsubscribed@lioncityrobotics.sg",
    "ops@partner.blocked.com",
    "noreply@lioncityrobotics.sg",
    "temp@mailinator.com",
    "you@example.com",
    "nonsense",
  ];
  const suppression = { emails: ["Unsubscribed@lioncityrobotics.sg"], domains: ["blocked.com"] };

  it("keeps business addresses and says why each other one was dropped", () => {
    const { kept, dropped } = applyEmailPolicy(input, { freeMail: "exclude", suppression });
    expect(kept).toEqual([
      { email: "priya.nair@lioncityrobotics.sg", confidence: "normal", role: false },
      { email: "sales@lioncityrobotics.sg", confidence: "normal", role: true },
    ]);
    expect(dropped.map((d) => [d.input, d.reason])).toEqual([
      ["priya.nair@lioncityrobotics.sg", "duplicate"],
      ["owner@gmail.com", "free_mail"],
      ["unsubscribed@lioncityrobotics.sg", "suppressed_email"],
      ["ops@partner.blocked.com", "suppressed_domain"],
      ["noreply@lioncityrobotics.sg", "no_reply"],
      ["temp@mailinator.com", "disposable"],
      ["you@example.com", "placeholder"],
      ["nonsense", "invalid_syntax"],
    ]);
  });

  it("keeps free-mail at low confidence when the tenant allows it, but never over suppression", () => {
    const { kept } = applyEmailPolicy(["owner@gmail.com", "blocked@gmail.com"], {
      freeMail: "allow_low_confidence",
      suppression: { emails: ["blocked@gmail.com"], domains: [] },
    });
    expect(kept).toEqual([{ email: "owner@gmail.com", confidence: "low", role: false }]);
  });
});
