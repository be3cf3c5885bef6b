import { describe, expect, it } from "vitest";
import { companiesWithoutCrm, linkDemoSalespeople, seedDemoCrm } from "./demo-crm";
import { SimState } from "./server";

function databaseWithCompany() {
  const db = new SimState().createDatabase({ name: "demo", modules: ["sales_team"] });
  const company = db.insert("res.company", { name: "Demo tenant", active: true });
  return { db, companyId: company.id };
}

const NOW = new Date("2026-11-30T12:00:00Z");

describe("seedDemoCrm", () => {
  it("fills a company with partners, two teams of salespeople, leads across the pipeline, activities and done-activity messages", () => {
    const { db, companyId } = databaseWithCompany();
    const summary = seedDemoCrm(db, { companyId, now: NOW });
    expect(summary).toMatchObject({ companies: 120, users: 8, teams: 2, leads: 1000 });
    expect(summary.companies + summary.people).toBeGreaterThan(300);
    const leads = db.records("crm.lead");
    expect(leads.every((l) => l.company_id === companyId && l.write_date! >= l.create_date! && l.write_date! <= "2026-11-30 12:00:00")).toBe(true);
    const won = db.records("crm.stage").find((s) => s.is_won)!.id;
    expect(leads.filter((l) => l.stage_id === won).length).toBeGreaterThan(50);
    expect(leads.filter((l) => !l.active && l.lost_reason_id).length).toBeGreaterThan(50);
    expect(new Set(leads.map((l) => l.type))).toEqual(new Set(["lead", "opportunity"]));
    expect(db.records("mail.message").every((m) => m.model === "crm.lead" && m.mail_activity_type_id)).toBe(true);
    expect(db.records("mail.activity")).toHaveLength(summary.activities);
    expect(companiesWithoutCrm(db)).toEqual([]);
  });

  it("seats the given people as salespeople linked to their identity, and links them to the OAuth provider once there is one", () => {
    const db = new SimState().createDatabase({ name: "demo", modules: ["sales_team", "auth_oauth"] });
    const companyId = db.insert("res.company", { name: "Demo tenant", active: true }).id;
    const manager = { seat: 0, name: "Mona Manager", email: "manager@acme.test", oauthUid: "sub-manager" };
    const rep = { seat: 1, name: "Reza Rep", email: "rep@acme.test", oauthUid: "sub-rep" };
    seedDemoCrm(db, { companyId, leads: 200, companies: 10, now: NOW, salespeople: [manager, rep] });
    const users = db.records("res.users").filter((u) => u.company_id === companyId);
    const userOf = (email: string) => users.find((u) => u.login === email && u.email === email)!;
    expect(userOf(manager.email)).toMatchObject({ name: manager.name, oauth_uid: manager.oauthUid, oauth_provider_id: false });
    expect(users.filter((u) => u.oauth_uid)).toHaveLength(2);
    const [direct, channel] = db.records("crm.team").sort((a, b) => (a.sequence as number) - (b.sequence as number));
    expect(direct!.user_id).toBe(userOf(manager.email).id);
    expect(channel!.user_id).not.toBe(userOf(manager.email).id);
    expect(
      db
        .records("crm.team.member")
        .filter((m) => m.crm_team_id === direct!.id)
        .map((m) => m.user_id),
    ).toContain(userOf(rep.email).id);
    expect(db.records("crm.lead").filter((l) => l.user_id === userOf(rep.email).id).length).toBeGreaterThan(0);

    linkDemoSalespeople(db);
    expect(userOf(manager.email).oauth_provider_id).toBe(false);
    const provider = db.insert("auth.oauth.provider", { name: "Nexius SSO", enabled: true });
    linkDemoSalespeople(db);
    const linked = db.records("res.users").filter((u) => u.oauth_provider_id === provider.id);
    expect(linked.map((u) => u.login).sort()).toEqual([manager.email, rep.email]);
  });

  it("gives the same records for the same seed", () => {
    const first = databaseWithCompany();
    const second = databaseWithCompany();
    seedDemoCrm(first.db, { companyId: first.companyId, leads: 50, companies: 10, now: NOW });
    seedDemoCrm(second.db, { companyId: second.companyId, leads: 50, companies: 10, now: NOW });
    // the base records carry the time the database was made; the demo's own are all seeded
    const demo = (db: typeof first.db, model: string) => db.records(model).filter((r) => model !== "res.partner" || r.company_id === first.companyId);
    for (const model of ["res.partner", "crm.lead", "mail.activity", "mail.message"]) {
      expect(demo(second.db, model)).toEqual(demo(first.db, model));
    }
  });

  it("scales linearly: 20,000 leads in a few seconds, without activities when asked", () => {
    const { db, companyId } = databaseWithCompany();
    const started = Date.now();
    seedDemoCrm(db, { companyId, leads: 20_000, companies: 1_000, activities: false, now: NOW });
    expect(db.records("crm.lead")).toHaveLength(20_000);
    expect(db.records("mail.message")).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
