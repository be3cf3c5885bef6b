import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyTenant } from "../support/workspace-users";

/**
 * Usage metering, invoices and plan changes against real Postgres: usage is
 * metered from the records runs and exports leave; a draft is computed from
 * the plan history and that usage; the lifecycle (draft → issued → paid |
 * void) and the frozen figures are the database's rules, whoever writes; the
 * workspace reads its issued invoices only; an approved plan change moves
 * the workspace and is prorated.
 */
type Billing = typeof import("~/billing/invoices.server") &
  typeof import("~/billing/metering.server") &
  typeof import("~/billing/plan-changes.server") &
  typeof import("~/db.server");
let billing: Billing;
let tenantId: string;
let otherTenantId: string;
const owner = { sub: "owner-sub", email: "owner@platform.test" };
const finance = { sub: "finance-sub", email: "finance@platform.test" };
const appPool = new pg.Pool({ connectionString: process.env.APP_DATABASE_URL, max: 2 });

/** Runs and companies on given Singapore days, as a run leaves them. */
async function recordRun(tenant: string, day: string, companies: number, vendorCalls: number, costUsd: number) {
  const { platformDb } = billing;
  const run = await platformDb.run.create({ data: { tenantId: tenant, kind: "manual", status: "succeeded", runDate: new Date(day) } });
  const finishedAt = new Date(`${day}T10:00:00+08:00`);
  for (let i = 0; i < companies; i++) {
    await platformDb.runCompany.create({ data: { tenantId: tenant, runId: run.id, uen: `${day.replace(/-/g, "")}${i}X`, status: "done", finishedAt } });
  }
  await platformDb.runCompany.create({ data: { tenantId: tenant, runId: run.id, uen: `${day}F`, status: "failed", finishedAt } });
  await platformDb.runVendorUsage.create({ data: { tenantId: tenant, runId: run.id, vendor: "tavily", calls: vendorCalls, costUsd } });
}

async function asWorkspace<T>(tenant: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = await appPool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
    const { rows } = await client.query(sql, params);
    await client.query("COMMIT");
    return rows as T[];
  } finally {
    client.release();
  }
}

beforeAll(async () => {
  const [invoices, metering, planChanges, db] = await Promise.all([
    import("~/billing/invoices.server"),
    import("~/billing/metering.server"),
    import("~/billing/plan-changes.server"),
    import("~/db.server"),
  ]);
  billing = { ...invoices, ...metering, ...planChanges, ...db };
  const tenant = await readyTenant("billed", "Billed Pte Ltd");
  tenantId = tenant.id;
  otherTenantId = (await readyTenant("other", "Other Pte Ltd")).id;
  // On Starter since before November, as its plan history says.
  await billing.platformDb.tenant.update({ where: { id: tenantId }, data: { plan: "starter", createdAt: new Date("2026-09-01T00:00:00+08:00") } });
  await billing.platformDb.tenantPlanPeriod.deleteMany({ where: { tenantId } });
  await billing.platformDb.tenantPlanPeriod.create({ data: { tenantId, startedAt: new Date("2026-09-01T00:00:00+08:00"), plan: "starter" } });
  await billing.platformDb.tenant.update({ where: { id: otherTenantId }, data: { createdAt: new Date("2026-09-01T00:00:00+08:00") } });
  await recordRun(tenantId, "2026-11-03", 3, 7, 0.56);
  await recordRun(tenantId, "2026-11-17", 2, 4, 0.32);
  await recordRun(otherTenantId, "2026-11-03", 5, 9, 0.9);
  await billing.platformDb.auditLog.create({ data: { tenantId, action: "export.downloaded", createdAt: new Date("2026-11-17T23:30:00+08:00") } });
});

afterAll(() => appPool.end());

describe("usage metering", () => {
  it("meters each Singapore day from the runs, companies, vendor usage and exports recorded", async () => {
    await billing.meterUsage({ from: "2026-11-01", to: "2026-11-30", tenantIds: [tenantId] });
    const days = await billing.platformDb.tenantUsageDaily.findMany({
      where: { tenantId, OR: [{ runs: { gt: 0 } }, { exports: { gt: 0 } }] },
      orderBy: { day: "asc" },
    });
    expect(days.map((d) => [d.day.toISOString().slice(0, 10), d.runs, d.companiesEnriched, d.vendorCalls, d.vendorCostUsd, d.exports])).toEqual([
      ["2026-11-03", 1, 3, 7, 0.56, 0],
      ["2026-11-17", 1, 2, 4, 0.32, 1],
    ]);
    expect(await billing.platformDb.tenantUsageDaily.count({ where: { tenantId, day: { gte: new Date("2026-11-01"), lte: new Date("2026-11-30") } } })).toBe(
      30,
    );
    // Only the workspace asked for.
    expect(await billing.platformDb.tenantUsageDaily.count({ where: { tenantId: otherTenantId } })).toBe(0);
  });

  it("rewrites a day from the same records when metered again", async () => {
    await billing.meterUsage({ from: "2026-11-03", to: "2026-11-03", tenantIds: [tenantId] });
    await billing.meterUsage({ from: "2026-11-03", to: "2026-11-03", tenantIds: [tenantId] });
    const day = await billing.platformDb.tenantUsageDaily.findUniqueOrThrow({ where: { tenantId_day: { tenantId, day: new Date("2026-11-03") } } });
    expect([day.runs, day.companiesEnriched]).toEqual([1, 3]);
  });

  it("meters every workspace when none is named (the hourly job), storage included", async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await billing.meterUsage({ from: today, to: today, storage: true });
    const rows = await billing.platformDb.tenantUsageDaily.findMany({ where: { day: new Date(today), tenantId: { in: [tenantId, otherTenantId] } } });
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.storageBytes > 0n)).toBe(true);
  });

  it("measures today's storage from the workspace's rows", async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await billing.meterUsage({ from: today, to: today, tenantIds: [tenantId], storage: true });
    const row = await billing.platformDb.tenantUsageDaily.findUniqueOrThrow({ where: { tenantId_day: { tenantId, day: new Date(today) } } });
    const [{ bytes }] = await billing.platformDb.$queryRaw<[{ bytes: bigint }]>`
      SELECT (SELECT sum(pg_column_size(r.*)) FROM runs r WHERE tenant_id = ${tenantId}::uuid)::bigint AS bytes`;
    expect(row.storageBytes).toBeGreaterThan(bytes);
  });
});

describe("invoices", () => {
  let invoiceId: string;

  it("drafts November from the plan and the companies enriched, with GST", async () => {
    const invoice = await billing.draftMonthlyInvoice(tenantId, "2026-11", finance);
    invoiceId = invoice.id;
    const doc = (await billing.invoiceWithLines(tenantId, invoice.id))!;
    expect(doc.lines.map((l) => [l.kind, l.description, l.quantity, l.amountCents])).toEqual([
      ["subscription", "Starter plan, November 2026", 1, 49_000],
      ["usage", "Companies enriched on the Starter plan, 1 Nov – 30 Nov", 5, 100],
    ]);
    expect([doc.status, doc.number, doc.subtotalCents, doc.taxCents, doc.totalCents]).toEqual(["draft", null, 49_100, 4_419, 53_519]);
    expect(doc.usage).toMatchObject({ runs: 2, companies_enriched: 5, vendor_calls: 11, exports: 1 });
  });

  it("recomputes the same draft rather than making a second one", async () => {
    await recordRun(tenantId, "2026-11-20", 1, 1, 0.1);
    const again = await billing.draftMonthlyInvoice(tenantId, "2026-11", finance);
    expect(again.id).toBe(invoiceId);
    expect(Number(again.subtotalCents)).toBe(49_120);
    expect(await billing.platformDb.invoice.count({ where: { tenantId } })).toBe(1);
  });

  it("keeps drafts from the workspace, which reads its invoice once issued", async () => {
    expect(await asWorkspace(tenantId, "SELECT id FROM invoices")).toEqual([]);
    expect(await asWorkspace(tenantId, "SELECT position FROM invoice_lines")).toEqual([]);
    const issued = await billing.issueInvoice(tenantId, invoiceId, owner);
    expect(issued.number).toMatch(/^INV-\d{4}-00001$/);
    expect(issued.dueDate).not.toBeNull();
    expect(issued.issuer).toBe("Nexius Leads");
    expect((await asWorkspace<{ number: string }>(tenantId, "SELECT number FROM invoices")).map((r) => r.number)).toEqual([issued.number]);
    expect(await asWorkspace(tenantId, "SELECT position FROM invoice_lines ORDER BY position")).toHaveLength(2);
    expect(await asWorkspace(otherTenantId, "SELECT id FROM invoices")).toEqual([]);
    await expect(asWorkspace(tenantId, "UPDATE invoices SET status = 'paid'")).rejects.toThrow(/permission denied/);
  });

  it("freezes an issued invoice's figures and lines, whoever writes", async () => {
    await expect(
      billing.platformDb.$executeRaw`UPDATE invoices SET total_cents = 1, subtotal_cents = 1, tax_cents = 0 WHERE id = ${invoiceId}::uuid`,
    ).rejects.toThrow(/its figures cannot change/);
    await expect(billing.platformDb.$executeRaw`UPDATE invoice_lines SET amount_cents = 0 WHERE invoice_id = ${invoiceId}::uuid`).rejects.toThrow(
      /lines of a issued invoice cannot change/,
    );
    await expect(billing.platformDb.$executeRaw`DELETE FROM invoices WHERE id = ${invoiceId}::uuid`).rejects.toThrow(/only drafts can be deleted/);
    await expect(billing.platformDb.$executeRaw`UPDATE invoices SET issuer = 'Someone Else Pte Ltd' WHERE id = ${invoiceId}::uuid`).rejects.toThrow(
      /its figures cannot change/,
    );
    await expect(billing.draftMonthlyInvoice(tenantId, "2026-11", finance)).rejects.toThrow(/already invoiced as INV-\d{4}-00001 \(issued\)/);
  });

  it("goes issued → paid, and a paid invoice cannot be voided", async () => {
    const paid = await billing.markInvoicePaid(tenantId, invoiceId, "PAYNOW-123", owner);
    expect([paid.status, paid.paymentReference, paid.paidAt === null]).toEqual(["paid", "PAYNOW-123", false]);
    await expect(billing.voidInvoice(tenantId, invoiceId, "mistake", owner)).rejects.toThrow("An invoice cannot go from paid to void.");
  });

  it("numbers each year's invoices without gaps, and a voided month can be billed again", async () => {
    const october = await billing.draftMonthlyInvoice(tenantId, "2026-10", finance);
    const issued = await billing.issueInvoice(tenantId, october.id, owner);
    expect(issued.number).toMatch(/-00002$/);
    await billing.voidInvoice(tenantId, october.id, "Wrong plan", owner);
    const redo = await billing.draftMonthlyInvoice(tenantId, "2026-10", finance);
    expect(redo.id).not.toBe(october.id);
    expect((await billing.issueInvoice(tenantId, redo.id, owner)).number).toMatch(/-00003$/);
  });

  it("refuses a month before the workspace existed and a month not yet begun", async () => {
    await expect(billing.draftMonthlyInvoice(tenantId, "2026-07", finance)).rejects.toThrow("did not exist in 2026-07");
    await expect(billing.draftMonthlyInvoice(tenantId, "2099-01", finance)).rejects.toThrow("2099-01 has not started yet.");
  });
});

describe("plan changes", () => {
  it("finance proposes, an owner approves: the workspace moves and the plan history records when", async () => {
    const request = await billing.proposePlanChange({ tenantId: otherTenantId, toPlan: "growth", reason: "Second sales team", actor: finance });
    await expect(billing.proposePlanChange({ tenantId: otherTenantId, toPlan: "starter", reason: "again", actor: finance })).rejects.toThrow(
      "already waiting for approval",
    );
    expect((await billing.platformDb.tenant.findUniqueOrThrow({ where: { id: otherTenantId } })).plan).toBe("trial");
    await billing.decidePlanChange({ tenantId: otherTenantId, requestId: request.id, approve: true, note: null, actor: owner });
    expect((await billing.platformDb.tenant.findUniqueOrThrow({ where: { id: otherTenantId } })).plan).toBe("growth");
    const periods = await billing.platformDb.tenantPlanPeriod.findMany({ where: { tenantId: otherTenantId }, orderBy: { startedAt: "asc" } });
    expect(periods.map((p) => p.plan)).toEqual(["trial", "growth"]);
    await expect(billing.decidePlanChange({ tenantId: otherTenantId, requestId: request.id, approve: false, note: null, actor: owner })).rejects.toThrow(
      "already approved",
    );
  });

  it("prorates the month in which the plan changed", async () => {
    // Trial from 1 September, Growth from 21 November (Singapore).
    await billing.platformDb.tenantPlanPeriod.deleteMany({ where: { tenantId: otherTenantId } });
    await billing.platformDb.tenantPlanPeriod.createMany({
      data: [
        { tenantId: otherTenantId, startedAt: new Date("2026-09-01T00:00:00+08:00"), plan: "trial" },
        { tenantId: otherTenantId, startedAt: new Date("2026-11-21T09:00:00+08:00"), plan: "growth" },
      ],
    });
    const draft = await billing.draftMonthlyInvoice(otherTenantId, "2026-11", finance);
    const doc = (await billing.invoiceWithLines(otherTenantId, draft.id))!;
    expect(doc.lines.map((l) => [l.description, l.amountCents])).toEqual([
      ["Trial plan, 1 Nov – 20 Nov (20 of 30 days)", 0],
      ["Growth plan, 21 Nov – 30 Nov (10 of 30 days)", 49_667],
    ]);
  });

  it("a rejected or withdrawn proposal changes nothing, and a stale one cannot be approved", async () => {
    const rejected = await billing.proposePlanChange({ tenantId: otherTenantId, toPlan: "enterprise", reason: "Bigger", actor: finance });
    await billing.decidePlanChange({ tenantId: otherTenantId, requestId: rejected.id, approve: false, note: "Not this quarter", actor: owner });
    const withdrawn = await billing.proposePlanChange({ tenantId: otherTenantId, toPlan: "starter", reason: "Smaller", actor: finance });
    await billing.withdrawPlanChange({ tenantId: otherTenantId, requestId: withdrawn.id, actor: finance });
    expect((await billing.platformDb.tenant.findUniqueOrThrow({ where: { id: otherTenantId } })).plan).toBe("growth");
    const stale = await billing.proposePlanChange({ tenantId: otherTenantId, toPlan: "starter", reason: "Smaller", actor: finance });
    await billing.changePlanNow({ tenantId: tenantId, toPlan: "growth", reason: "unrelated", actor: owner });
    await billing.platformDb.tenant.update({ where: { id: otherTenantId }, data: { plan: "enterprise" } });
    await expect(billing.decidePlanChange({ tenantId: otherTenantId, requestId: stale.id, approve: true, note: null, actor: owner })).rejects.toThrow(
      "moved to enterprise after this was proposed",
    );
    const after = await billing.platformDb.planChangeRequest.findUniqueOrThrow({ where: { tenantId_id: { tenantId: otherTenantId, id: stale.id } } });
    expect(after.status).toBe("proposed");
  });

  it("refuses a plan the catalogue does not have, or the one the workspace is on", async () => {
    await expect(billing.proposePlanChange({ tenantId, toPlan: "platinum", reason: "x", actor: finance })).rejects.toThrow(
      'There is no active plan "platinum".',
    );
    await expect(billing.proposePlanChange({ tenantId, toPlan: "growth", reason: "x", actor: finance })).rejects.toThrow("already on the Growth plan");
  });
});
