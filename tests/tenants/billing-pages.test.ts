import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie, readyTenant } from "../support/workspace-users";

/**
 * Billing through its pages and API: finance proposes a plan change on the
 * tenant's billing page and an owner approves it on the overview; the owner
 * issues and marks an invoice; the tenant's admin sees issued invoices in the
 * portal (never a draft, never another workspace's) and downloads the CSV.
 */
let standIns: StandIns;
let tenantId: string;
let otherId: string;
const cookies: Record<string, string> = {};

async function routes() {
  const [overview, tenantPage, invoicePage, invoiceCsv, api, tenantApi, portalBilling, portalInvoice, portalCsv, invoices, db] = await Promise.all([
    import("~/routes/admin+/billing"),
    import("~/routes/admin+/billing_.tenants.$id"),
    import("~/routes/admin+/billing_.invoices.$tenantId.$invoiceId"),
    import("~/routes/admin+/billing_.invoices.$tenantId.$invoiceId_.csv"),
    import("~/routes/api+/tenants.$id.billing"),
    import("~/routes/api+/tenants.$id"),
    import("~/routes/app+/portal.billing"),
    import("~/routes/app+/portal.billing_.$invoiceId"),
    import("~/routes/app+/portal.billing_.$invoiceId_.csv"),
    import("~/billing/invoices.server"),
    import("~/db.server"),
  ]);
  return { overview, tenantPage, invoicePage, invoiceCsv, api, tenantApi, portalBilling, portalInvoice, portalCsv, invoices, db };
}
let r: Awaited<ReturnType<typeof routes>>;
const thisMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

beforeAll(async () => {
  standIns = await startStandIns();
  r = await routes();
  tenantId = (await readyTenant("ledger", "Ledger Pte Ltd")).id;
  otherId = (await readyTenant("elsewhere", "Elsewhere")).id;
  cookies.owner = (await memberCookie("owner", ["platform_owner"], null)).cookie;
  cookies.finance = (await memberCookie("finance", ["finance_owner"], null)).cookie;
  cookies.admin = (await memberCookie("ledger-admin", ["admin"], tenantId)).cookie;
});

afterAll(async () => {
  await standIns?.stop();
});

describe("plan changes through the pages", () => {
  it("finance proposes, the owner approves on the overview, and the workspace is on the new plan", async () => {
    const proposed = await invoke(
      r.tenantPage.action,
      appRequest(`/admin/billing/tenants/${tenantId}`, {
        method: "POST",
        cookie: cookies.finance,
        form: { intent: "propose", toPlan: "growth", reason: "Two more reps" },
      }),
      { id: tenantId },
    );
    expect(await proposed.json()).toEqual({ ok: true, message: "Plan change proposed: a platform owner approves it." });
    const refused = await invoke(
      r.tenantPage.action,
      appRequest(`/admin/billing/tenants/${tenantId}`, {
        method: "POST",
        cookie: cookies.finance,
        form: { intent: "change_now", toPlan: "growth", reason: "Two more reps" },
      }),
      { id: tenantId },
    );
    expect(refused.status).toBe(403);
    const { platformDb } = r.db;
    const request = await platformDb.planChangeRequest.findFirstOrThrow({ where: { tenantId, status: "proposed" } });
    const page = await (await invoke(r.overview.loader, appRequest("/admin/billing", { cookie: cookies.owner }))).json();
    expect(page.planChanges.map((p: { tenantName: string; toPlan: string; status: string }) => [p.tenantName, p.toPlan, p.status])).toEqual([
      ["Ledger Pte Ltd", "growth", "proposed"],
    ]);
    const approved = await invoke(
      r.overview.action,
      appRequest("/admin/billing", { method: "POST", cookie: cookies.owner, form: { intent: "approve", tenantId, requestId: request.id } }),
    );
    expect(await approved.json()).toEqual({ ok: true, message: "Plan change approved: the workspace is on its new plan." });
    expect((await platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId } })).plan).toBe("growth");
  });

  it("answers a bad form with its reasons and stores nothing", async () => {
    const response = await invoke(
      r.tenantPage.action,
      appRequest(`/admin/billing/tenants/${otherId}`, { method: "POST", cookie: cookies.finance, form: { intent: "propose", toPlan: "", reason: "" } }),
      { id: otherId },
    );
    const body = await response.json();
    expect(body.ok).toBe(false);
    expect(body.errors).toEqual({ toPlan: ["Choose a plan"], reason: ["Say why, in a few words"] });
    expect(await r.db.platformDb.planChangeRequest.count({ where: { tenantId: otherId } })).toBe(0);
  });
});

describe("invoices through the pages, the API and the portal", () => {
  let invoiceId: string;
  let otherInvoiceId: string;

  it("keeps a draft out of the portal; issued, the admin reads it and its CSV", async () => {
    const drafted = await invoke(
      r.tenantPage.action,
      appRequest(`/admin/billing/tenants/${tenantId}`, { method: "POST", cookie: cookies.finance, form: { intent: "draft", month: thisMonth() } }),
      { id: tenantId },
    );
    expect((await drafted.json()).message).toMatch(/^Draft for \d{4}-\d{2} computed: SGD [\d,.]+ including GST\.$/);
    invoiceId = (await r.db.platformDb.invoice.findFirstOrThrow({ where: { tenantId } })).id;
    otherInvoiceId = (await r.invoices.draftMonthlyInvoice(otherId, thisMonth(), null)).id;
    await r.invoices.issueInvoice(otherId, otherInvoiceId, { sub: "owner-sub" });

    const draftInPortal = await invoke(r.portalInvoice.loader, appRequest(`/app/portal/billing/${invoiceId}`, { cookie: cookies.admin }), { invoiceId });
    expect(draftInPortal.status).toBe(404);
    expect((await (await invoke(r.portalBilling.loader, appRequest("/app/portal/billing", { cookie: cookies.admin }))).json()).invoices).toEqual([]);

    const issued = await invoke(
      r.invoicePage.action,
      appRequest(`/admin/billing/invoices/${tenantId}/${invoiceId}`, { method: "POST", cookie: cookies.owner, form: { intent: "issue" } }),
      { tenantId, invoiceId },
    );
    expect(issued.status).toBe(302);
    const number = (await r.db.platformDb.invoice.findFirstOrThrow({ where: { id: invoiceId } })).number!;

    const portal = await (await invoke(r.portalBilling.loader, appRequest("/app/portal/billing", { cookie: cookies.admin }))).json();
    expect(portal.invoices.map((i: { number: string }) => i.number)).toEqual([number]);
    // Usage against the plan, counted as the quotas are enforced: one member of Growth's 50 seats.
    expect(portal.quotas.find((q: { key: string }) => q.key === "seats")).toEqual({ key: "seats", label: "seats", period: null, limit: 50, used: 1 });
    const document = await (
      await invoke(r.portalInvoice.loader, appRequest(`/app/portal/billing/${invoiceId}`, { cookie: cookies.admin }), { invoiceId })
    ).json();
    expect(document.invoice.lines.map((l: { kind: string }) => l.kind)).toEqual(["subscription"]);
    const csv = await invoke(r.portalCsv.loader, appRequest(`/app/portal/billing/${invoiceId}/csv`, { cookie: cookies.admin }), { invoiceId });
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${number}.csv"`);
    const rows = (await csv.text()).split("\r\n");
    expect(rows[0]).toBe('"invoice","status","tenant","period_start","period_end","line","kind","description","quantity","unit_price","amount","currency"');
    expect(rows.at(-2)).toBe(
      `"${number}","issued","ledger","${thisMonth()}-01","${document.invoice.periodEnd}","","total","Total","","","${(document.invoice.totalCents / 100).toFixed(2)}","SGD"`,
    );

    // Another workspace's invoice is not there for this admin, by page or by CSV.
    expect(
      (await invoke(r.portalInvoice.loader, appRequest(`/app/portal/billing/${otherInvoiceId}`, { cookie: cookies.admin }), { invoiceId: otherInvoiceId }))
        .status,
    ).toBe(404);
    expect(
      (await invoke(r.portalCsv.loader, appRequest(`/app/portal/billing/${otherInvoiceId}/csv`, { cookie: cookies.admin }), { invoiceId: otherInvoiceId }))
        .status,
    ).toBe(404);
  });

  it("marks paid only with a payment reference", async () => {
    const missing = await invoke(
      r.invoicePage.action,
      appRequest(`/admin/billing/invoices/${tenantId}/${invoiceId}`, { method: "POST", cookie: cookies.owner, form: { intent: "pay", paymentReference: "" } }),
      { tenantId, invoiceId },
    );
    expect((await missing.json()).errors).toEqual({ paymentReference: ["Give the payment's reference"] });
    await invoke(
      r.invoicePage.action,
      appRequest(`/admin/billing/invoices/${tenantId}/${invoiceId}`, {
        method: "POST",
        cookie: cookies.owner,
        form: { intent: "pay", paymentReference: "TT-42" },
      }),
      { tenantId, invoiceId },
    );
    const voided = await invoke(
      r.invoicePage.action,
      appRequest(`/admin/billing/invoices/${tenantId}/${invoiceId}`, {
        method: "POST",
        cookie: cookies.owner,
        form: { intent: "void", reason: "late change" },
      }),
      { tenantId, invoiceId },
    );
    expect(await voided.json()).toEqual({ ok: false, message: "An invoice cannot go from paid to void." });
  });

  it("GET /api/tenants/:id/billing gives the plan with its quotas, the usage and the invoices", async () => {
    const response = await invoke(r.api.loader, appRequest(`/api/tenants/${tenantId}/billing`, { cookie: cookies.finance }), { id: tenantId });
    const body = await response.json();
    expect(body.plan).toMatchObject({ code: "growth", monthly_price_cents: 149_000, price_per_company_cents: 15, quotas: { seats: 50 } });
    expect(body.invoices.map((i: { status: string; paymentReference: string }) => [i.status, i.paymentReference])).toEqual([["paid", "TT-42"]]);
    expect(body.planChanges.map((c: { toPlan: string; status: string }) => [c.toPlan, c.status])).toEqual([["growth", "approved"]]);
    expect(body.planChanges[0]).not.toHaveProperty("proposedBySub");
    expect(body.monthToDate.from).toBe(`${thisMonth()}-01`);
    expect(body.quotas.map((q: { key: string; limit: number | null }) => [q.key, q.limit])).toEqual([
      ["runsPerDay", 100],
      ["companiesPerMonth", 20000],
      ["seats", 50],
      ["lakeSources", 10],
      ["exportsPerMonth", 5000],
    ]);
    const summary = await (await invoke(r.tenantApi.loader, appRequest(`/api/tenants/${tenantId}`, { cookie: cookies.owner }), { id: tenantId })).json();
    expect(summary.billing).toMatchObject({
      plan: "growth",
      plan_name: "Growth",
      monthly_price_cents: 149_000,
      unpaid_invoices: 0,
      unpaid_cents: 0,
      open_plan_change: null,
    });
    const missing = await invoke(r.api.loader, appRequest(`/api/tenants/not-a-uuid/billing`, { cookie: cookies.finance }), { id: "not-a-uuid" });
    expect(missing.status).toBe(404);
  });

  it("answers 404, not an error, for a tenant id that is not one: the billing page's actions and the tenant API", async () => {
    const id = "-".repeat(36);
    for (const intent of ["draft", "propose", "withdraw"]) {
      const form = { intent, month: "2026-01", toPlan: "growth", reason: "more seats", requestId: "00000000-0000-0000-0000-000000000000" };
      const response = await invoke(r.tenantPage.action, appRequest(`/admin/billing/tenants/${id}`, { cookie: cookies.owner, form }), { id });
      expect(response.status, intent).toBe(404);
    }
    const api = await invoke(r.tenantApi.loader, appRequest(`/api/tenants/${id}`, { cookie: cookies.owner }), { id });
    expect([api.status, await api.json()]).toEqual([404, { error: "not_found", message: "No such tenant" }]);
  });
});
