import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOdooSimulator, type OdooSimulator, type SimDatabase } from "../../tests/sims/odoo";
import { OdooClient, type OdooSession } from "./client.server";
import { type DesiredCompanyInput } from "./desired-partners.server";
import { ensureIntegrationUser } from "./integration-user.server";
import { REQUIRED_MODULES } from "./module-install.server";
import { upsertPartners } from "./partner-upsert.server";
import { ensureCompany } from "./tenant-company.server";

const DB = "platform";
let sim: OdooSimulator;
let client: OdooClient;
let admin: OdooSession;
let tenant: { companyId: number; session: OdooSession };
let db: SimDatabase;

beforeAll(async () => {
  sim = await startOdooSimulator({ databases: [{ name: DB, adminPassword: "admin-pw", modules: REQUIRED_MODULES }] });
  client = new OdooClient({ baseUrl: sim.url });
  admin = await client.connect(DB, "admin", "admin-pw");
  db = sim.state.database(DB);
});

afterAll(() => sim.stop());

let tenantCounter = 0;
beforeEach(async () => {
  // A fresh tenant (company + scoped service account) per test keeps tests independent inside one database.
  const n = ++tenantCounter;
  const { companyId } = await ensureCompany(admin, { name: `Tenant ${n}` });
  const { uid } = await ensureIntegrationUser(admin, { login: `svc-${n}`, name: `svc ${n}`, companyId, password: `pw-${n}` });
  tenant = { companyId, session: client.session({ db: DB, uid, secret: `pw-${n}` }) };
  sim.state.resetCalls();
});

const leads = (): DesiredCompanyInput[] => [
  {
    uen: "201912345A",
    name: "Codigo Pte Ltd",
    website: "codigo.co",
    email: "hello@codigo.co",
    countryCode: "sg",
    contacts: [
      { name: "Tan Wei", email: "Wei.Tan@codigo.co", jobTitle: "CTO" },
      { name: "Lim Mei", linkedinUrl: "https://sg.linkedin.com/in/lim-mei/" },
    ],
  },
  { uen: "53312345K", name: "Kopi Labs", contacts: [{ name: "Ong", email: "ong@kopilabs.sg" }] },
];

const partners = (filter: (p: Record<string, unknown>) => boolean) => db.records("res.partner").filter(filter);

describe("upsertPartners", () => {
  it("creates companies and contacts scoped to the tenant, then a second run creates nothing", async () => {
    const first = await upsertPartners(tenant.session, leads(), { companyId: tenant.companyId });
    expect(first.companies).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(first.contacts).toEqual({ created: 3, updated: 0, unchanged: 0 });
    const codigo = db.get("res.partner", first.companyIds["201912345A"]!)!;
    expect(codigo).toMatchObject({
      name: "Codigo Pte Ltd",
      is_company: true,
      ref: "201912345A",
      website: "http://codigo.co",
      company_id: tenant.companyId,
      country_id: db.xmlId("base.sg"),
    });
    const mei = db.get("res.partner", first.contactIds["201912345A"]!["https://www.linkedin.com/in/lim-mei"]!)!;
    expect(mei).toMatchObject({ parent_id: codigo.id, type: "contact", website: "https://www.linkedin.com/in/lim-mei", company_id: tenant.companyId });
    expect(db.get("res.partner", first.contactIds["201912345A"]!["wei.tan@codigo.co"]!)).toMatchObject({ email: "Wei.Tan@codigo.co", function: "CTO" });

    sim.state.resetCalls();
    const second = await upsertPartners(tenant.session, leads(), { companyId: tenant.companyId });
    expect(second.companies).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(second.contacts).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(second.companyIds).toEqual(first.companyIds);
    expect(second.contactIds).toEqual(first.contactIds);
    expect(sim.state.countCalls({ method: "create" }) + sim.state.countCalls({ method: "write" })).toBe(0);
  });

  it("reuses an archived partner instead of duplicating it", async () => {
    const archived = await tenant.session.create("res.partner", {
      name: "Codigo Pte Ltd",
      is_company: true,
      ref: "201912345A",
      active: false,
      company_id: tenant.companyId,
    });
    const result = await upsertPartners(tenant.session, [{ uen: "201912345A", name: "Codigo Pte Ltd" }], { companyId: tenant.companyId });
    expect(result.companyIds["201912345A"]).toBe(archived);
    expect(result.plan.companies.unchanged).toEqual([{ uen: "201912345A", id: archived, archived: true }]);
    expect(partners((p) => p.ref === "201912345A" && p.company_id === tenant.companyId)).toHaveLength(1);
  });

  it("never matches another tenant's partner with the same UEN", async () => {
    const other = await upsertPartners(tenant.session, leads(), { companyId: tenant.companyId });
    const { companyId } = await ensureCompany(admin, { name: "Neighbour" });
    const { uid } = await ensureIntegrationUser(admin, { login: "svc-neighbour", name: "n", companyId, password: "n-pw" });
    const neighbour = client.session({ db: DB, uid, secret: "n-pw" });
    const mine = await upsertPartners(neighbour, leads(), { companyId });
    expect(mine.companies.created).toBe(2);
    expect(mine.companyIds["201912345A"]).not.toBe(other.companyIds["201912345A"]);
    // Odoo's multi-company record rule hides the first tenant's partners from the second.
    await expect(neighbour.read("res.partner", [other.companyIds["201912345A"]!], ["name"])).rejects.toMatchObject({
      odooName: "odoo.exceptions.AccessError",
    });
  });

  it("never writes a partner outside the tenant's company, such as one shared by every tenant (no company)", async () => {
    const shared = await admin.create("res.partner", { name: "Codigo (shared)", is_company: true, ref: "201912345A", company_id: false });
    const sharedContact = await admin.create("res.partner", { name: "Tan Wei (shared)", email: "wei.tan@codigo.co", parent_id: shared, company_id: false });
    const before = [structuredClone(db.get("res.partner", shared)), structuredClone(db.get("res.partner", sharedContact))];
    const result = await upsertPartners(tenant.session, leads(), { companyId: tenant.companyId, sharedDatabase: true });
    expect(result.companies.created).toBe(2);
    expect(result.companyIds["201912345A"]).not.toBe(shared);
    expect(db.get("res.partner", result.companyIds["201912345A"]!)).toMatchObject({ company_id: tenant.companyId, name: "Codigo Pte Ltd" });
    expect([db.get("res.partner", shared), db.get("res.partner", sharedContact)]).toEqual(before);
  });

  it("batches: one search_read per batch of UENs and parents, one create per batch, writes grouped by values", async () => {
    const many: DesiredCompanyInput[] = Array.from({ length: 250 }, (_, i) => ({
      uen: `B${String(i).padStart(4, "0")}`,
      name: `Batch ${i}`,
      contacts: [{ name: `Person ${i}`, email: `p${i}@batch.example` }],
    }));
    await upsertPartners(tenant.session, many, { companyId: tenant.companyId, batchSize: 100 });
    expect(sim.state.countCalls({ method: "search_read", model: "res.partner" })).toBe(3);
    expect(sim.state.countCalls({ method: "create", model: "res.partner" })).toBe(6);
    expect(sim.state.countCalls({ method: "write" })).toBe(0);

    sim.state.resetCalls();
    const changed = many.map((c, i) => (i < 120 ? { ...c, city: "Singapore" } : c));
    const result = await upsertPartners(tenant.session, changed, { companyId: tenant.companyId, batchSize: 100 });
    expect(result.companies).toEqual({ created: 0, updated: 120, unchanged: 130 });
    expect(sim.state.countCalls({ method: "search_read", model: "res.partner" })).toBe(6);
    expect(sim.state.countCalls({ method: "create" })).toBe(0);
    expect(sim.state.countCalls({ method: "write", model: "res.partner" })).toBe(1);
    expect(partners((p) => p.company_id === tenant.companyId && p.city === "Singapore" && p.is_company === true)).toHaveLength(120);
  });

  it("applies exactly the dry-run plan", async () => {
    await upsertPartners(tenant.session, leads(), { companyId: tenant.companyId });
    const next: DesiredCompanyInput[] = [
      { ...leads()[0]!, name: "Codigo Singapore Pte Ltd", contacts: [{ name: "Tan Wei", email: "wei.tan@codigo.co", phone: "+65 8000 0000" }] },
      leads()[1]!,
      { uen: "T0000001X", name: "Fresh Co", contacts: [{ name: "Nia", email: "nia@fresh.example" }] },
    ];
    sim.state.resetCalls();
    const dry = await upsertPartners(tenant.session, next, { companyId: tenant.companyId, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(sim.state.countCalls({ method: "create" }) + sim.state.countCalls({ method: "write" })).toBe(0);

    const applied = await upsertPartners(tenant.session, next, { companyId: tenant.companyId });
    expect(applied.plan).toEqual(dry.plan);
    expect(dry.plan.companies.update.map((u) => u.changes)).toEqual([[{ field: "name", before: "Codigo Pte Ltd", after: "Codigo Singapore Pte Ltd" }]]);
    expect(dry.plan.contacts.update.map((u) => u.changes)).toEqual([[{ field: "phone", before: false, after: "+65 8000 0000" }]]);
    for (const update of [...applied.plan.companies.update, ...applied.plan.contacts.update]) {
      for (const change of update.changes) expect(db.get("res.partner", update.id)![change.field]).toEqual(change.after);
    }
    expect(applied.plan.companies.create.map((c) => c.uen)).toEqual(["T0000001X"]);
    expect(db.get("res.partner", applied.contactIds["T0000001X"]!["nia@fresh.example"]!)!.parent_id).toBe(applied.companyIds["T0000001X"]);
    expect(sim.state.countCalls({ method: "create" })).toBe(2);
    expect(sim.state.countCalls({ method: "write" })).toBe(2);
  });

  it("rejects invalid input before touching Odoo", async () => {
    await expect(upsertPartners(tenant.session, [{ uen: "X1", name: "No key", contacts: [{ name: "Nobody" }] }])).rejects.toThrow(/email or a LinkedIn URL/);
    expect(sim.state.calls).toHaveLength(0);
  });
});
