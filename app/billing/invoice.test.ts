import { describe, expect, it } from "vitest";
import { draftInvoice, formatCents, invoiceCsvRows, monthPeriod, nextInvoiceActions, previousMonth, type InvoicePlan } from "./invoice";

const plans = new Map<string, InvoicePlan>([
  ["starter", { code: "starter", name: "Starter", currency: "SGD", monthlyPriceCents: 49_000, pricePerCompanyCents: 20 }],
  ["growth", { code: "growth", name: "Growth", currency: "SGD", monthlyPriceCents: 149_000, pricePerCompanyCents: 15 }],
  ["trial", { code: "trial", name: "Trial", currency: "SGD", monthlyPriceCents: 0, pricePerCompanyCents: 0 }],
]);

describe("monthPeriod", () => {
  it("knows the length of each month, leap years included", () => {
    expect(monthPeriod("2026-11")).toEqual({ periodStart: "2026-11-01", periodEnd: "2026-11-30", days: 30, nextStart: "2026-12-01" });
    expect(monthPeriod("2028-02")).toEqual({ periodStart: "2028-02-01", periodEnd: "2028-02-29", days: 29, nextStart: "2028-03-01" });
    expect(monthPeriod("2026-12").nextStart).toBe("2027-01-01");
    expect(() => monthPeriod("2026-13")).toThrow("not a month");
  });

  it("steps back a month across the year", () => {
    expect(previousMonth("2027-01-01")).toBe("2026-12");
    expect(previousMonth("2026-12-05")).toBe("2026-11");
  });
});

describe("draftInvoice", () => {
  it("charges a whole month's fee and each company enriched, then GST", () => {
    const draft = draftInvoice({
      month: "2026-11",
      spans: [{ fromDay: "2026-01-10", plan: "starter" }],
      usage: [
        { day: "2026-11-02", companiesEnriched: 100 },
        { day: "2026-11-20", companiesEnriched: 23 },
        { day: "2026-10-31", companiesEnriched: 999 },
      ],
      plans,
    });
    expect(draft.lines).toEqual([
      { kind: "subscription", description: "Starter plan, November 2026", quantity: 1, unitPriceCents: 49_000, amountCents: 49_000 },
      { kind: "usage", description: "Companies enriched on the Starter plan, 1 Nov – 30 Nov", quantity: 123, unitPriceCents: 20, amountCents: 2_460 },
    ]);
    expect(draft.subtotalCents).toBe(51_460);
    expect(draft.taxCents).toBe(4_631); // 9 % of 514.60 = 46.314
    expect(draft.totalCents).toBe(56_091);
    expect(draft.currency).toBe("SGD");
  });

  it("prorates by the days on each plan when the plan changed mid-month", () => {
    const draft = draftInvoice({
      month: "2026-11",
      spans: [
        { fromDay: "2026-03-01", plan: "starter" },
        { fromDay: "2026-11-21", plan: "growth" },
      ],
      usage: [
        { day: "2026-11-20", companiesEnriched: 10 },
        { day: "2026-11-21", companiesEnriched: 40 },
      ],
      plans,
    });
    expect(draft.lines.map((l) => [l.description, l.quantity, l.amountCents])).toEqual([
      ["Starter plan, 1 Nov – 20 Nov (20 of 30 days)", 0.6667, 32_667],
      ["Companies enriched on the Starter plan, 1 Nov – 20 Nov", 10, 200],
      ["Growth plan, 21 Nov – 30 Nov (10 of 30 days)", 0.3333, 49_667],
      ["Companies enriched on the Growth plan, 21 Nov – 30 Nov", 40, 600],
    ]);
    expect(draft.subtotalCents).toBe(32_667 + 200 + 49_667 + 600);
  });

  it("bills a workspace created mid-month from its first day only, and a free plan at zero", () => {
    const draft = draftInvoice({
      month: "2026-11",
      spans: [{ fromDay: "2026-11-29", plan: "trial" }],
      usage: [{ day: "2026-11-29", companiesEnriched: 50 }],
      plans,
    });
    expect(draft.lines).toEqual([
      { kind: "subscription", description: "Trial plan, 29 Nov – 30 Nov (2 of 30 days)", quantity: 0.0667, unitPriceCents: 0, amountCents: 0 },
    ]);
    expect(draft.totalCents).toBe(0);
  });

  it("has no lines for a month before the workspace existed", () => {
    const draft = draftInvoice({ month: "2026-10", spans: [{ fromDay: "2026-11-29", plan: "trial" }], usage: [], plans });
    expect(draft.lines).toEqual([]);
    expect(draft.totalCents).toBe(0);
  });

  it("refuses a plan missing from the catalogue rather than billing nothing", () => {
    expect(() => draftInvoice({ month: "2026-11", spans: [{ fromDay: "2026-01-01", plan: "gold" }], usage: [], plans })).toThrow(
      "plan gold is not in the catalogue",
    );
  });
});

describe("invoice helpers", () => {
  it("formats cents with two decimals", () => {
    expect(formatCents(2_460, "SGD")).toBe("SGD 24.60");
    expect(formatCents(15n, "SGD")).toBe("SGD 0.15");
    expect(formatCents(1_234_567, "SGD")).toBe("SGD 12,345.67");
  });

  it("offers only the transitions the database allows", () => {
    expect(nextInvoiceActions("draft")).toEqual(["issue", "delete"]);
    expect(nextInvoiceActions("issued")).toEqual(["pay", "void"]);
    expect(nextInvoiceActions("paid")).toEqual([]);
    expect(nextInvoiceActions("void")).toEqual([]);
  });
});

describe("invoiceCsvRows", () => {
  it("lists the lines and then subtotal, tax and total in currency units", () => {
    const rows = invoiceCsvRows({
      number: "INV-2026-00001",
      status: "issued",
      tenantSlug: "acme",
      periodStart: "2026-11-01",
      periodEnd: "2026-11-30",
      currency: "SGD",
      subtotalCents: 51_460,
      taxLabel: "GST 9%",
      taxCents: 4_631,
      totalCents: 56_091,
      lines: [
        { kind: "subscription", description: "Starter plan, November 2026", quantity: 1, unitPriceCents: 49_000, amountCents: 49_000 },
        { kind: "usage", description: "=cmd|' /C calc'!A0", quantity: 123, unitPriceCents: 20, amountCents: 2_460 },
      ],
    });
    expect(rows[0]).toEqual([
      "invoice",
      "status",
      "tenant",
      "period_start",
      "period_end",
      "line",
      "kind",
      "description",
      "quantity",
      "unit_price",
      "amount",
      "currency",
    ]);
    expect(rows[1]).toEqual([
      "INV-2026-00001",
      "issued",
      "acme",
      "2026-11-01",
      "2026-11-30",
      1,
      "subscription",
      "Starter plan, November 2026",
      1,
      "490.00",
      "490.00",
      "SGD",
    ]);
    expect(rows[2]?.slice(5)).toEqual([2, "usage", "=cmd|' /C calc'!A0", 123, "0.20", "24.60", "SGD"]);
    expect(rows.slice(3).map((r) => [r[6], r[10]])).toEqual([
      ["subtotal", "514.60"],
      ["tax", "46.31"],
      ["total", "560.91"],
    ]);
  });
});
