import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OdooClient, type OdooSession } from "~/odoo/client.server";
import { seedDemoCrm, type OdooSimulator, type SimDatabase } from "../../../tests/sims/odoo";
import { createTenantWithOdoo } from "../../../tests/support/lead-push-fixtures";
import { startCrmOdoo } from "../../../tests/support/odoo-crm";
import { type MapContext, type SourcePage } from "../pipeline";
import { OdooLakeConnector, openOdooLakeConnector } from "./connector.server";
import { parseCursor } from "./cursor";
import { odooMapper } from "./mapper";

/**
 * The Odoo connector against the simulator over real HTTP: two tenants'
 * companies in one shared database (company_per_tenant), each filled with
 * demo CRM data, read through each tenant's own integration user. Changes
 * between syncs are made as the database administrator, over JSON-RPC.
 */

let sim: OdooSimulator;
let admin: OdooSession;
let odoo: SimDatabase;
let tenant: { tenantId: string; companyId: number };
let other: { tenantId: string; companyId: number };
const NOW = new Date("2026-11-30T12:00:00Z");

beforeAll(async () => {
  ({ sim, admin, odoo } = await startCrmOdoo());
  tenant = await createTenantWithOdoo(sim, admin);
  other = await createTenantWithOdoo(sim, admin);
  seedDemoCrm(odoo, { companyId: tenant.companyId, companies: 12, leads: 80, now: NOW });
  seedDemoCrm(odoo, { companyId: other.companyId, companies: 5, leads: 30, now: NOW });
});
afterAll(() => sim.stop());

async function collect(pages: AsyncIterable<SourcePage>): Promise<SourcePage[]> {
  const out: SourcePage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const idsOf = (pages: SourcePage[]) => pages.flatMap((p) => p.records.map((r) => Number(r.sourceId)));
const lastCursor = (pages: SourcePage[]) => pages.at(-1)!.cursor!;
const leadsOf = (companyId: number) => odoo.records("crm.lead").filter((l) => l.company_id === companyId);

/** Every entity read in load order, as the engine does in full mode. */
async function fullSync(connector: OdooLakeConnector) {
  const pages = new Map<string, SourcePage[]>();
  for (const entity of connector.entities) pages.set(entity, await collect(connector.pages(entity, { mode: "full", cursor: null })));
  return pages;
}

describe("OdooLakeConnector", () => {
  it("finds every field it reads, and reads the tenant's whole CRM (and nothing of the other tenant's) that maps without a reject", async () => {
    const connector = await openOdooLakeConnector(tenant.tenantId, { pageSize: 25 });
    expect(await connector.check()).toEqual({ missing: [] });
    const pages = await fullSync(connector);

    expect(idsOf(pages.get("crm.lead")!).sort((a, b) => a - b)).toEqual(leadsOf(tenant.companyId).map((l) => l.id));
    const partners = odoo
      .records("res.partner")
      .filter((p) => p.company_id === tenant.companyId && !odoo.records("res.users").some((u) => u.partner_id === p.id));
    expect(idsOf(pages.get("res.partner")!).sort((a, b) => a - b)).toEqual(partners.map((p) => p.id));
    expect(pages.get("crm.team")!.flatMap((p) => p.records.map((r) => r.payload.name))).toEqual(["Direct Sales", "Channel Sales"]);
    const otherLeads = new Set(leadsOf(other.companyId).map((l) => l.id));
    expect(idsOf(pages.get("crm.lead")!).some((id) => otherLeads.has(id))).toBe(false);
    // archived (lost) leads arrive too, marked inactive
    expect(pages.get("crm.lead")!.some((p) => p.records.some((r) => r.payload.active === false))).toBe(true);

    const payloads = new Map<string, Record<string, unknown>>();
    for (const [entity, list] of pages) for (const page of list) for (const r of page.records) payloads.set(`${entity}:${r.sourceId}`, r.payload);
    const context: MapContext = { payloadOf: (entity, id) => payloads.get(`${entity}:${id}`) };
    const results = [...pages.values()].flat().flatMap((page) => page.records.map((r) => odooMapper.map(r, context)));
    expect(results.flatMap((r) => r.rejected)).toEqual([]);
    const kinds = results.flatMap((r) => r.mapped.map((m) => m.draft.kind));
    expect(new Set(kinds)).toEqual(new Set(["user", "team", "account", "contact", "opportunity", "activity"]));
  });

  it("pages through records written in the same second without losing or repeating one, and resumes from that second", async () => {
    const partner = odoo.records("res.partner").find((p) => p.company_id === tenant.companyId && p.is_company)!.id;
    // one create call: one transaction, one write_date for all 23
    const batch = await admin.create(
      "crm.lead",
      Array.from({ length: 23 }, (_, i) => ({ name: `Batch lead ${i}`, type: "lead", partner_id: partner, company_id: tenant.companyId })),
    );
    const connector = await openOdooLakeConnector(tenant.tenantId, { pageSize: 10 });
    const pages = await collect(connector.pages("crm.lead", { mode: "full", cursor: null }));
    const ids = idsOf(pages);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort((a, b) => a - b)).toEqual(leadsOf(tenant.companyId).map((l) => l.id));
    expect(pages.every((p) => p.records.length <= 10)).toBe(true);

    const cursor = parseCursor(lastCursor(pages));
    expect(cursor).toEqual({ writeDate: odoo.get("crm.lead", batch[0]!)!.write_date, id: Math.max(...batch) });
    // The incremental re-reads the cursor's second (all 23) and nothing older.
    const again = await collect(connector.pages("crm.lead", { mode: "incremental", cursor: lastCursor(pages) }));
    expect(idsOf(again).sort((a, b) => a - b)).toEqual(batch);
    // A full run handed its own cursor (killed, then retried) resumes there instead of starting over.
    const resumed = await collect(connector.pages("crm.lead", { mode: "full", cursor: lastCursor(pages) }));
    expect(idsOf(resumed).sort((a, b) => a - b)).toEqual(batch);
  });

  it("reads changes, archives and late commits of the cursor's second incrementally, and finds deletions through liveIds", async () => {
    const connector = await openOdooLakeConnector(tenant.tenantId, { pageSize: 50 });
    const cursor = lastCursor(await collect(connector.pages("crm.lead", { mode: "full", cursor: null })));
    const [changed, lost, deleted] = leadsOf(tenant.companyId)
      .filter((l) => l.active && typeof l.write_date === "string" && l.write_date < "2026-11-01")
      .map((l) => l.id);
    const reason = odoo.records("crm.lost.reason")[0]!.id;
    await admin.write("crm.lead", [changed!], { expected_revenue: 123456 });
    await admin.call("crm.lead", "action_set_lost", [[lost!]], { lost_reason_id: reason });
    await admin.unlink("crm.lead", [deleted!]);
    // A transaction that began in the cursor's second but committed after the last read: same write_date, read anyway.
    const late = await admin.create("crm.lead", { name: "Late commit", company_id: tenant.companyId });
    odoo.get("crm.lead", late)!.write_date = parseCursor(cursor).writeDate;

    const pages = await collect(connector.pages("crm.lead", { mode: "incremental", cursor }));
    const read = new Map(pages.flatMap((p) => p.records.map((r) => [Number(r.sourceId), r.payload])));
    expect(read.get(changed!)).toMatchObject({ expected_revenue: 123456 });
    expect(read.get(lost!)).toMatchObject({ active: false, probability: 0, lost_reason_id: [reason, expect.any(String)] });
    expect(read.has(late)).toBe(true);
    expect(read.has(deleted!)).toBe(false);
    // nothing from before the cursor's second comes back
    expect([...read.values()].every((p) => String(p.write_date) >= parseCursor(cursor).writeDate)).toBe(true);

    const live = await connector.liveIds("crm.lead");
    expect(live.has(String(deleted))).toBe(false);
    expect(live.has(String(lost))).toBe(true);
    expect(live.size).toBe(leadsOf(tenant.companyId).length);
  });

  it("reads the teams whole on every sync, so a membership change shows, and the member's sale_team_id moves with its write_date", async () => {
    const connector = await openOdooLakeConnector(tenant.tenantId);
    const teams = await collect(connector.pages("crm.team", { mode: "full", cursor: null }));
    const users = await collect(connector.pages("res.users", { mode: "full", cursor: null }));
    const [direct, channel] = teams[0]!.records;
    const mover = (channel!.payload.member_ids as number[])[1]!;
    await admin.write("crm.team", [Number(channel!.sourceId)], { member_ids: [[3, mover]] });
    await admin.write("crm.team", [Number(direct!.sourceId)], { member_ids: [[4, mover]] });

    const teamsAfter = await collect(connector.pages("crm.team", { mode: "incremental", cursor: lastCursor(teams) }));
    const members = new Map(teamsAfter.flatMap((p) => p.records.map((r) => [r.payload.name, r.payload.member_ids as number[]])));
    expect(members.get("Direct Sales")).toContain(mover);
    expect(members.get("Channel Sales")).not.toContain(mover);
    const usersAfter = await collect(connector.pages("res.users", { mode: "incremental", cursor: lastCursor(users) }));
    expect(usersAfter.flatMap((p) => p.records).find((r) => Number(r.sourceId) === mover)?.payload.sale_team_id).toEqual([
      Number(direct!.sourceId),
      "Direct Sales",
    ]);
  });

  it("reads only done activities from the messages, and planned ones of the tenant's leads", async () => {
    const connector = await openOdooLakeConnector(tenant.tenantId);
    const messages = (await collect(connector.pages("mail.message", { mode: "full", cursor: null }))).flatMap((p) => p.records);
    const mine = new Set(leadsOf(tenant.companyId).map((l) => l.id));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.payload.mail_activity_type_id !== false && mine.has(m.payload.res_id as number))).toBe(true);

    // Marking an activity done leaves a message with its type, and the activity goes.
    const activities = (await collect(connector.pages("mail.activity", { mode: "full", cursor: null }))).flatMap((p) => p.records);
    const done = activities[0]!;
    await admin.call("mail.activity", "action_feedback", [[Number(done.sourceId)]], { feedback: "Budget agreed" });
    expect((await connector.liveIds("mail.activity")).has(done.sourceId)).toBe(false);
    const after = (await collect(connector.pages("mail.message", { mode: "full", cursor: null }))).flatMap((p) => p.records);
    expect(after.find((m) => m.payload.res_id === done.payload.res_id && String(m.payload.body).includes("Budget agreed"))?.payload).toMatchObject({
      model: "crm.lead",
      mail_activity_type_id: done.payload.activity_type_id,
    });
  });
});

describe("OdooLakeConnector.check", () => {
  it("names every model and field the sync needs that this Odoo lacks", async () => {
    // Discuss installed, but neither Sales Teams nor CRM
    sim.state.createDatabase({ name: "bare", adminPassword: "pw", modules: ["mail"] });
    const session = await new OdooClient({ baseUrl: sim.url }).connect("bare", "admin", "pw");
    const { missing } = await new OdooLakeConnector(session, { scope: { companyId: null } }).check();
    expect(missing).toEqual([
      "crm.stage: the model does not exist in this Odoo (is CRM (crm) installed?)",
      "crm.tag: the model does not exist in this Odoo (is Sales Teams (sales_team) installed?)",
      "crm.lost.reason: the model does not exist in this Odoo (is CRM (crm) installed?)",
      "res.users.sale_team_id",
      "crm.team: the model does not exist in this Odoo (is Sales Teams (sales_team) installed?)",
      "crm.lead: the model does not exist in this Odoo (is CRM (crm) installed?)",
    ]);
  });
});
