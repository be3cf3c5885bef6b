import { describe, expect, it } from "vitest";
import { deletionReceipt, purgeableTables, purgeOrder, RETAINED_TABLES } from "./tenant-tables";

describe("purgeOrder", () => {
  it("deletes a referencing table before the table it references", () => {
    const order = purgeOrder(
      ["leads", "lead_contacts", "lead_emails", "runs"],
      [
        { child: "lead_contacts", parent: "leads" },
        { child: "lead_emails", parent: "lead_contacts" },
        { child: "leads", parent: "runs" },
        { child: "leads", parent: "tenants" },
      ],
    );
    expect(order.indexOf("lead_emails")).toBeLessThan(order.indexOf("lead_contacts"));
    expect(order.indexOf("lead_contacts")).toBeLessThan(order.indexOf("leads"));
    expect(order.indexOf("leads")).toBeLessThan(order.indexOf("runs"));
    expect(order).toHaveLength(4);
  });

  it("accepts a table referencing itself and reports a cycle between tables", () => {
    expect(purgeOrder(["a"], [{ child: "a", parent: "a" }])).toEqual(["a"]);
    expect(() =>
      purgeOrder(
        ["a", "b"],
        [
          { child: "a", parent: "b" },
          { child: "b", parent: "a" },
        ],
      ),
    ).toThrow(/cycle/);
  });
});

describe("purgeableTables and the receipt", () => {
  it("keeps the retained tables and totals what went", () => {
    expect(purgeableTables(["leads", "tenant_operations", "invoices"])).toEqual(["leads"]);
    const receipt = deletionReceipt({
      tenant: { id: "t", slug: "acme", name: "Acme" },
      requestedBy: "owner@example.com",
      requestedAt: "2026-12-05T00:00:00.000Z",
      purgedAt: "2026-12-12T00:00:00.000Z",
      odoo: "database nexius_acme dropped",
      counts: { leads: 3, audit_log: 2 },
      export: null,
    });
    expect(receipt.rows_deleted_total).toBe(5);
    expect(Object.keys(receipt.rows_deleted)).toEqual(["audit_log", "leads"]);
    expect(receipt.retained_tables).toEqual(RETAINED_TABLES);
  });
});
