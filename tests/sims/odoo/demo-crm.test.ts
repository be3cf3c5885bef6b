import { describe, expect, it } from "vitest";
import { companiesWithoutCrm, seedDemoCrm } from "./demo-crm";
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
