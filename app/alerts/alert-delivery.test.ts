import { describe, expect, it } from "vitest";
import { alertEmail, digestEmail, isDuplicate, meetsSeverity, type DeliveredAlert } from "./alert-delivery";

const now = new Date("2026-12-05T08:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe("de-duplication window", () => {
  it("sends a key never sent, and one sent at least the window ago", () => {
    expect(isDuplicate(null, now, 60)).toBe(false);
    expect(isDuplicate(minutesAgo(60), now, 60)).toBe(false);
    expect(isDuplicate(minutesAgo(61), now, 60)).toBe(false);
  });

  it("holds back a key sent within the window", () => {
    expect(isDuplicate(minutesAgo(59), now, 60)).toBe(true);
    expect(isDuplicate(minutesAgo(0), now, 60)).toBe(true);
    expect(isDuplicate(minutesAgo(1439), now, 1440)).toBe(true);
  });

  it("sends every alert with a window of 0", () => {
    expect(isDuplicate(now, now, 0)).toBe(false);
  });
});

describe("severity threshold", () => {
  it("reaches a channel at or above its minimum", () => {
    expect(meetsSeverity("critical", "warning")).toBe(true);
    expect(meetsSeverity("warning", "warning")).toBe(true);
    expect(meetsSeverity("info", "warning")).toBe(false);
    expect(meetsSeverity("info", "info")).toBe(true);
  });
});

const alert: DeliveredAlert = {
  id: "a1",
  tenant: { slug: "acme", name: "Acme" },
  kind: "vendor_quota",
  key: "vendor_quota:lusha",
  severity: "warning",
  message: "lusha quota reached;\nthe run continues without it where it can.",
  runId: "r1",
  createdAt: new Date("2026-12-05T07:00:00Z"),
};

describe("alert emails", () => {
  it("names the severity, workspace and message in the subject, and links the run and the alerts page", () => {
    const mail = alertEmail(alert, "https://leads.example.com");
    expect(mail.subject).toBe("[Nexius Leads] WARNING · Acme: lusha quota reached; the run continues without it where it can.");
    expect(mail.text).toContain("Alert: vendor_quota (vendor_quota:lusha)");
    expect(mail.text).toContain("Run: https://leads.example.com/app/runs/r1");
    expect(mail.text).toContain("https://leads.example.com/admin/alerts?tenant=acme");
  });

  it("lists a day's alerts in one digest with their counts by severity", () => {
    const critical = { ...alert, id: "a2", severity: "critical", message: "Candidate refresh failed" };
    const mail = digestEmail("Ops digest", [alert, critical], "https://leads.example.com", now);
    expect(mail.subject).toBe("[Nexius Leads] Daily alert digest for Ops digest: 2 alerts");
    expect(mail.text).toContain("2 alerts since the last digest (1 warning, 1 critical)");
    expect(mail.text).toContain("CRITICAL Acme: Candidate refresh failed");
  });
});
