import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OdooAccessError, OdooClient, OdooUserError, type OdooSession } from "~/odoo/client.server";
import { startOdooSimulator, type OdooSimulator } from "./index";

/** The simulator's CRM models through the real client: what the lake's connector and the tests that change records rely on. */

let sim: OdooSimulator;
let admin: OdooSession;
let companyA: number;
let companyB: number;
let userA: OdooSession;
const ODOO_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const all = { context: { active_test: false } };

beforeAll(async () => {
  sim = await startOdooSimulator({
    databases: [
      { name: "crm", adminPassword: "pw", modules: ["sales_team", "crm"] },
      { name: "nocrm", adminPassword: "pw", modules: ["sales_team"] },
    ],
  });
  const client = new OdooClient({ baseUrl: sim.url });
  admin = await client.connect("crm", "admin", "pw");
  companyA = await admin.create("res.company", { name: "Tenant A" });
  companyB = await admin.create("res.company", { name: "Tenant B" });
  await admin.write("res.users", [admin.uid], {
    company_ids: [
      [4, companyA],
      [4, companyB],
    ],
  });
  const groups = await admin.resolveXmlIds(["base.group_user", "sales_team.group_sale_salesman_all_leads"]);
  await admin.create("res.users", {
    name: "svc A",
    login: "svc-a",
    password: "svc-pw",
    company_id: companyA,
    company_ids: [[6, 0, [companyA]]],
    groups_id: [[6, 0, [...groups.values()]]],
  });
  userA = await client.connect("crm", "svc-a", "svc-pw");
});
afterAll(() => sim.stop());

describe("simulated CRM", () => {
  it("has the CRM models and fields only where crm is installed, won_status only with crm_enterprise", async () => {
    const nocrm = await new OdooClient({ baseUrl: sim.url }).connect("nocrm", "admin", "pw");
    await expect(nocrm.call("crm.lead", "fields_get", [], { attributes: ["type"] })).rejects.toThrow(/Object crm.lead doesn't exist/);
    const fields = (await admin.call("crm.lead", "fields_get", [], { attributes: ["type"] })) as Record<string, { type: string }>;
    expect(fields).toMatchObject({
      stage_id: { type: "many2one" },
      expected_revenue: { type: "monetary" },
      probability: { type: "float" },
      date_deadline: { type: "date" },
    });
    expect(fields).not.toHaveProperty("won_status");
    sim.state.database("nocrm").install(["crm_enterprise"]);
    expect(await nocrm.call("crm.lead", "fields_get", [["won_status"]], { attributes: ["type"] })).toEqual({ won_status: { type: "selection" } });
  });

  it("stamps write_date at second precision on create and write, and orders, offsets, limits and filters by it", async () => {
    const first = await admin.create("crm.lead", [
      { name: "One", company_id: companyA },
      { name: "Two", company_id: companyA },
    ]);
    const [one] = await admin.read("crm.lead", first, ["write_date"]);
    expect(one!.write_date).toMatch(ODOO_DATETIME);
    await new Promise((r) => setTimeout(r, 1100));
    await admin.write("crm.lead", [first[0]!], { name: "One (changed)" });
    const rows = await admin.searchRead("crm.lead", [["write_date", ">=", one!.write_date]], {
      fields: ["name", "write_date"],
      order: "write_date asc, id asc",
    });
    expect(rows.map((r) => r.name)).toEqual(["Two", "One (changed)"]);
    expect(Date.parse(String(rows[1]!.write_date))).toBeGreaterThan(Date.parse(String(rows[0]!.write_date)));
    const paged = await admin.searchRead("crm.lead", [["write_date", ">=", one!.write_date]], {
      fields: ["name"],
      order: "write_date asc, id asc",
      offset: 1,
      limit: 1,
    });
    expect(paged.map((r) => r.name)).toEqual(["One (changed)"]);
  });

  it("hides archived records unless active_test is false, and really deletes on unlink (activities and messages too)", async () => {
    const id = await admin.create("crm.lead", { name: "Archive me", company_id: companyA });
    const activity = await admin.create("mail.activity", { res_model: "crm.lead", res_id: id, summary: "Call", date_deadline: "2026-12-24" });
    const other = await admin.create("mail.activity", { res_model: "crm.lead", res_id: id, summary: "Demo", date_deadline: "2026-12-28" });
    await admin.call("mail.activity", "action_feedback", [[activity]], { feedback: "Reached them" });
    const reason = (await admin.search("crm.lost.reason", []))[0]!;
    await admin.call("crm.lead", "action_set_lost", [[id]], { lost_reason_id: reason });
    expect(await admin.search("crm.lead", [["id", "=", id]])).toEqual([]);
    const [lost] = await admin.searchRead("crm.lead", [["id", "=", id]], { ...all, fields: ["active", "probability", "lost_reason_id", "date_closed"] });
    expect(lost).toMatchObject({
      active: false,
      probability: 0,
      lost_reason_id: [reason, expect.any(String)],
      date_closed: expect.stringMatching(ODOO_DATETIME),
    });
    expect(
      await admin.searchRead(
        "mail.message",
        [
          ["model", "=", "crm.lead"],
          ["res_id", "=", id],
        ],
        { fields: ["body", "mail_activity_type_id"] },
      ),
    ).toEqual([{ id: expect.any(Number), body: "<div><p>Call</p><p>Reached them</p></div>", mail_activity_type_id: [expect.any(Number), "To-Do"] }]);
    await admin.unlink("crm.lead", [id]);
    expect(await admin.read("crm.lead", [id], ["name"])).toEqual([]);
    expect(await admin.search("mail.activity", [["id", "in", [activity, other]]], all)).toEqual([]);
    expect(
      await admin.search("mail.message", [
        ["model", "=", "crm.lead"],
        ["res_id", "=", id],
      ]),
    ).toEqual([]);
  });

  it("closes a lead won when it reaches a won stage", async () => {
    const id = await admin.create("crm.lead", { name: "Win me", company_id: companyA, probability: 40 });
    await admin.call("crm.lead", "action_set_won", [[id]]);
    const [won] = await admin.read("crm.lead", [id], ["stage_id", "probability", "date_closed"]);
    expect(won).toMatchObject({ stage_id: [expect.any(Number), "Won"], probability: 100, date_closed: expect.stringMatching(ODOO_DATETIME) });
  });

  it("scopes leads and teams to the user's companies", async () => {
    const mine = await admin.create("crm.lead", { name: "A's lead", company_id: companyA });
    const theirs = await admin.create("crm.lead", { name: "B's lead", company_id: companyB });
    await admin.create("crm.team", { name: "B team", company_id: companyB });
    const seen = await userA.search("crm.lead", [], all);
    expect(seen).toContain(mine);
    expect(seen).not.toContain(theirs);
    await expect(userA.read("crm.lead", [theirs], ["name"])).rejects.toBeInstanceOf(OdooAccessError);
    expect((await userA.searchRead("crm.team", [], { fields: ["name"] })).map((t) => t.name)).not.toContain("B team");
    await expect(userA.unlink("crm.stage", [1])).rejects.toBeInstanceOf(OdooUserError);
  });

  it("keeps res.users.sale_team_id on the user's first active membership, moving the user's write_date", async () => {
    const salesperson = await admin.create("res.users", {
      name: "Rep",
      login: "rep",
      company_id: companyA,
      company_ids: [[6, 0, [companyA]]],
      groups_id: [[6, 0, []]],
    });
    const team = await admin.create("crm.team", { name: "A team", company_id: companyA, member_ids: [[6, 0, [salesperson]]] });
    expect(await admin.read("crm.team", [team], ["member_ids"])).toEqual([{ id: team, member_ids: [salesperson] }]);
    expect((await admin.read("res.users", [salesperson], ["sale_team_id"]))[0]!.sale_team_id).toEqual([team, "A team"]);
    await admin.write("crm.team", [team], { member_ids: [[3, salesperson]] });
    expect((await admin.read("res.users", [salesperson], ["sale_team_id"]))[0]!.sale_team_id).toBe(false);
  });
});
