import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { withLakeScope } from "~/lake/hierarchy.server";
import { replayLake } from "~/lake/replay.server";
import { WHOLE_TENANT } from "~/lake/serving-reads.server";
import { SOURCE_MAPPERS } from "~/lake/source-mappers";
import { sourceKit } from "~/lake/sources.server";
import { requestSyncIn } from "~/lake/sync-requests.server";
import { runSync } from "~/lake/sync-runner.server";
import { type OdooSession } from "~/odoo/client.server";
import { seedDemoCrm, type OdooSimulator, type SimDatabase } from "../../sims/odoo";
import { createTenantWithOdoo } from "../../support/lead-push-fixtures";
import { startCrmOdoo } from "../../support/odoo-crm";

/**
 * The Odoo source through the whole engine, against the simulator over HTTP:
 * a full sync, then changes, archives and deletions made in Odoo by its
 * administrator, then an incremental sync. After each, every canonical
 * opportunity, account and contact is compared with the simulator's own
 * records, entity by entity; a replay from raw must give the same rows.
 */

let sim: OdooSimulator;
let admin: OdooSession;
let odoo: SimDatabase;
let tenant: { tenantId: string; companyId: number };
const NOW = new Date("2026-11-30T12:00:00Z");

beforeAll(async () => {
  ({ sim, admin, odoo } = await startCrmOdoo());
  tenant = await createTenantWithOdoo(sim, admin);
  const other = await createTenantWithOdoo(sim, admin);
  seedDemoCrm(odoo, { companyId: tenant.companyId, companies: 15, leads: 120, now: NOW });
  seedDemoCrm(odoo, { companyId: other.companyId, companies: 4, leads: 20, now: NOW });
});
afterAll(() => sim.stop());

async function sync(mode: "full" | "incremental") {
  const { syncRunId } = await db.$withTenant(tenant.tenantId, (tx) =>
    requestSyncIn(tx, tenant.tenantId, { source: "odoo", mode, trigger: "cli", queue: false }),
  );
  return runSync(tenant.tenantId, syncRunId, await sourceKit(tenant.tenantId, "odoo"));
}

const many2oneId = (value: unknown) => (Array.isArray(value) ? (value[0] as number) : typeof value === "number" ? value : null);

/** The tenant's leads as Odoo holds them, read from the simulator's database, not through our client. */
function sourceOpportunities() {
  const stages = new Map(odoo.records("crm.stage").map((s) => [s.id, s]));
  return odoo
    .records("crm.lead")
    .filter((l) => l.company_id === tenant.companyId)
    .map((l) => {
      const stage = stages.get(many2oneId(l.stage_id) ?? -1);
      const lost = l.active === false && Number(l.probability) === 0 && many2oneId(l.lost_reason_id) !== null;
      return {
        name: String(l.name).trim(),
        revenue: Number(l.expected_revenue ?? 0),
        probability: Number(l.probability ?? 0),
        active: l.active !== false,
        stage: stage ? String(stage.name) : null,
        outcome: stage?.is_won ? "won" : lost ? "lost" : "open",
      };
    })
    .sort(byJson);
}

async function lakeOpportunities() {
  const rows = await withLakeScope(tenant.tenantId, WHOLE_TENANT, (tx) => tx.lakeOpportunity.findMany({ where: { deletedAt: null } }));
  return rows
    .map((o) => ({
      name: o.name,
      revenue: Number(o.expectedRevenue),
      probability: o.probability,
      active: o.active,
      stage: o.stageName,
      outcome: o.outcome,
    }))
    .sort(byJson);
}

function sourceAccounts() {
  return odoo
    .records("res.partner")
    .filter((p) => p.company_id === tenant.companyId && p.is_company)
    .map((p) => ({ name: String(p.name).trim(), active: p.active !== false }))
    .sort(byJson);
}

async function lakeAccounts() {
  const rows = await db.$withTenant(tenant.tenantId, (tx) => tx.lakeAccount.findMany({ where: { deletedAt: null } }));
  return rows.map((a) => ({ name: a.name, active: a.active })).sort(byJson);
}

function byJson(a: unknown, b: unknown) {
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
}

async function expectLakeEqualsOdoo() {
  expect(await lakeOpportunities()).toEqual(sourceOpportunities());
  expect(await lakeAccounts()).toEqual(sourceAccounts());
}

describe("an Odoo lake sync", () => {
  it("mirrors Odoo after a full sync and after changes, archives and deletions synced incrementally; replay gives the same rows", async () => {
    const full = await sync("full");
    expect(full).toMatchObject({ status: "succeeded", rejected: 0 });
    await expectLakeEqualsOdoo();

    const leads = odoo.records("crm.lead").filter((l) => l.company_id === tenant.companyId && l.active !== false);
    const [renamed, archived, deleted] = leads;
    await admin.write("crm.lead", [renamed!.id], { name: "Renamed deal", expected_revenue: 123456 });
    await admin.write("crm.lead", [archived!.id], { active: false });
    // Odoo deletes a record's activities and messages with it; the lake loses the done ones (messages with an activity type) too.
    const aboutDeleted = (r: Record<string, unknown>) => (r.res_model ?? r.model) === "crm.lead" && r.res_id === deleted!.id;
    const goneWithIt =
      odoo.records("mail.activity").filter(aboutDeleted).length +
      odoo.records("mail.message").filter((m) => aboutDeleted(m) && many2oneId(m.mail_activity_type_id) !== null).length;
    await admin.unlink("crm.lead", [deleted!.id]);
    const partner = odoo.records("res.partner").find((p) => p.company_id === tenant.companyId && p.is_company)!;
    await admin.create("crm.lead", [{ name: "Fresh deal", type: "opportunity", partner_id: partner.id, company_id: tenant.companyId, expected_revenue: 5000 }]);
    await admin.write("res.partner", [partner.id], { name: "Renamed Account Pte. Ltd." });

    const incremental = await sync("incremental");
    expect(incremental).toMatchObject({ status: "succeeded", rejected: 0, deleted: 1 + goneWithIt });
    expect(incremental!.fetched).toBeLessThan(full!.fetched);
    await expectLakeEqualsOdoo();

    const unchanged = await sync("incremental");
    expect(unchanged).toMatchObject({ raw_inserted: 0, inserted: 0, updated: 0, deleted: 0 });

    const snapshot = async () =>
      withLakeScope(tenant.tenantId, WHOLE_TENANT, async (tx) => ({
        opportunities: (
          await tx.lakeOpportunity.findMany({ orderBy: { id: "asc" }, omit: { createdAt: true, updatedAt: true, attendedAt: true, deletedAt: true } })
        ).map((o) => ({ ...o, expectedRevenue: o.expectedRevenue.toString() })),
        accounts: await tx.lakeAccount.findMany({ orderBy: { id: "asc" }, omit: { createdAt: true, updatedAt: true, deletedAt: true } }),
        contacts: await tx.lakeContact.findMany({ orderBy: { id: "asc" }, omit: { createdAt: true, updatedAt: true, deletedAt: true } }),
        activities: await tx.lakeActivity.count({ where: { deletedAt: null } }),
      }));
    const before = await snapshot();
    await replayLake(tenant.tenantId, SOURCE_MAPPERS);
    expect(await snapshot()).toEqual(before);
  });
});
