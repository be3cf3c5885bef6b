import { describe, expect, it } from "vitest";
import { mayMoveTo, SupportHandlingForm, SupportRequestForm } from "./support-requests";

describe("support requests", () => {
  it("only move forward: open → in progress → resolved, an open one straight to resolved, a resolved one nowhere", () => {
    expect(mayMoveTo("open", "in_progress")).toBe(true);
    expect(mayMoveTo("open", "resolved")).toBe(true);
    expect(mayMoveTo("in_progress", "resolved")).toBe(true);
    expect(mayMoveTo("in_progress", "in_progress")).toBe(false);
    expect(mayMoveTo("resolved", "in_progress")).toBe(false);
    expect(mayMoveTo("resolved", "resolved")).toBe(false);
  });

  it("take a subject, a category, a severity and a description, trimmed and without control characters", () => {
    const parsed = SupportRequestForm.parse({
      subject: "  Odoo\u0000 is slow ",
      category: "modules",
      severity: "urgent",
      body: "Line one\nline\u0007 two\ttabbed",
    });
    expect(parsed).toEqual({ subject: "Odoo is slow", category: "modules", severity: "urgent", body: "Line one\nline two\ttabbed" });
    const refused = SupportRequestForm.safeParse({ subject: "   ", category: "nope", severity: "meh", body: "short", extra: "x" });
    expect(refused.success).toBe(false);
    expect(Object.keys(refused.error!.flatten().fieldErrors).sort()).toEqual(["body", "category", "severity", "subject"]);
    expect(SupportRequestForm.safeParse({ subject: "x".repeat(151), category: "other", severity: "low", body: "long enough text" }).success).toBe(false);
  });

  it("need a reply to be resolved, not to be taken in progress", () => {
    const ids = { requestId: "2b1d4c1e-8f3a-4a5b-9c6d-7e8f9a0b1c2d", tenantId: "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b" };
    expect(SupportHandlingForm.safeParse({ ...ids, status: "resolved", reply: "  " }).error?.flatten().fieldErrors).toEqual({
      reply: ["Write the reply the tenant reads"],
    });
    expect(SupportHandlingForm.parse({ ...ids, status: "in_progress", reply: "" })).toEqual({ ...ids, status: "in_progress", reply: undefined });
    expect(SupportHandlingForm.safeParse({ ...ids, status: "open" }).success).toBe(false);
  });
});
