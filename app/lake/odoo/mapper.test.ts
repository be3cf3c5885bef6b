import { describe, expect, it } from "vitest";
import { type MapContext, type SourceRecord } from "../pipeline";
import { bodyText, leadOutcome, odooMapper } from "./mapper";

const references: Record<string, Record<string, Record<string, unknown>>> = {
  "crm.stage": { "1": { name: "New", sequence: 1, is_won: false }, "4": { name: "Won", sequence: 70, is_won: true } },
  "crm.tag": { "7": { name: "Software" }, "8": { name: "SME" } },
  "res.partner.category": { "3": { name: "Customer" } },
  "res.country": { "5": { name: "Singapore", code: "SG" } },
  "mail.activity.type": { "2": { name: "Call" } },
  "res.partner": { "40": { is_company: true }, "41": { is_company: false, parent_id: [40, "Apex Logistics Pte. Ltd."] } },
};
const context: MapContext = { payloadOf: (entity, id) => references[entity]?.[id] };

function map(entity: string, payload: Record<string, unknown>, sourceId = "9") {
  const record: SourceRecord = { entity, sourceId, version: "2026-12-01 10:00:00", payload: { id: Number(sourceId), ...payload } };
  return odooMapper.map(record, context);
}

const draftOf = (entity: string, payload: Record<string, unknown>) => map(entity, payload).mapped[0]?.draft;
const odoo = (entity: string, sourceId: string) => ({ source: "odoo", entity, sourceId });

const lead = {
  name: "Software deal with Apex",
  type: "opportunity",
  stage_id: [1, "New"],
  team_id: [3, "Direct Sales"],
  user_id: [12, "Wei Tan"],
  partner_id: [40, "Apex Logistics Pte. Ltd."],
  expected_revenue: 25000,
  probability: 30,
  date_deadline: "2027-01-31",
  date_closed: false,
  active: true,
  lost_reason_id: false,
  tag_ids: [7, 8, 99],
  create_date: "2026-11-02 08:15:00",
  date_last_stage_update: "2026-11-20 03:00:00",
};

describe("odooMapper: partners", () => {
  it("maps a company to an account, reading its UEN from company_registry and its country and tags through the references", () => {
    expect(
      draftOf("res.partner", {
        name: "Apex Logistics Pte. Ltd.",
        is_company: true,
        company_registry: "201912345K",
        vat: "M2-1234567-8",
        website: "https://www.apex.com.sg",
        email: "Hello@Apex.com.sg",
        phone: false,
        mobile: "+65 9123 4567",
        country_id: [5, "Singapore"],
        category_id: [3],
        active: true,
      }),
    ).toEqual({
      kind: "account",
      name: "Apex Logistics Pte. Ltd.",
      uen: "201912345K",
      vat: "M2-1234567-8",
      website: "https://www.apex.com.sg",
      email: "Hello@Apex.com.sg",
      phone: "+65 9123 4567",
      countryCode: "SG",
      tags: ["Customer"],
      active: true,
    });
  });

  it("keeps a company registry that is not a UEN out of the uen field", () => {
    expect(draftOf("res.partner", { name: "Foreign GmbH", is_company: true, company_registry: "HRB 12345" })).toMatchObject({ uen: null, vat: null });
  });

  it("reads the UEN from ref when the company registry is empty, as the lead push writes it, and ignores a ref that is no UEN", () => {
    expect(draftOf("res.partner", { name: "Pushed Pte. Ltd.", is_company: true, company_registry: false, ref: "202012345N" })).toMatchObject({
      uen: "202012345N",
    });
    expect(draftOf("res.partner", { name: "Both Pte. Ltd.", is_company: true, company_registry: "201912345K", ref: "202012345N" })).toMatchObject({
      uen: "201912345K",
    });
    expect(draftOf("res.partner", { name: "Coded Pte. Ltd.", is_company: true, ref: "CUST-0042" })).toMatchObject({ uen: null });
  });

  it("maps a person to a contact of their company, archived ones inactive", () => {
    expect(
      draftOf("res.partner", {
        name: "Siti Rahman",
        is_company: false,
        parent_id: [40, "Apex"],
        email: "siti@apex.com.sg",
        phone: "+65 9000 0000",
        function: "CFO",
        active: false,
      }),
    ).toEqual({
      kind: "contact",
      name: "Siti Rahman",
      email: "siti@apex.com.sg",
      phone: "+65 9000 0000",
      jobTitle: "CFO",
      account: odoo("res.partner", "40"),
      companyName: null,
      active: false,
    });
  });

  it("rejects a partner without a name, with the reason", () => {
    expect(map("res.partner", { name: false, is_company: true })).toEqual({
      mapped: [],
      rejected: [{ ref: odoo("res.partner", "9"), reason: "res.partner has no name" }],
    });
  });
});

describe("odooMapper: leads", () => {
  it("maps an open opportunity with its stage, parties, owner, team and known tags", () => {
    expect(draftOf("crm.lead", lead)).toEqual({
      kind: "opportunity",
      name: "Software deal with Apex",
      stageKind: "opportunity",
      stage: { name: "New", sequence: 1, isWon: false },
      account: odoo("res.partner", "40"),
      contact: null,
      owner: odoo("res.users", "12"),
      team: odoo("crm.team", "3"),
      expectedRevenue: 25000,
      probability: 30,
      currency: null,
      outcome: "open",
      lostReason: null,
      createdAt: "2026-11-02 08:15:00",
      stageEnteredAt: "2026-11-20 03:00:00",
      deadline: "2027-01-31",
      closedAt: null,
      tags: ["Software", "SME"],
      active: true,
    });
  });

  it("takes a person customer as the contact and their company as the account", () => {
    expect(draftOf("crm.lead", { ...lead, partner_id: [41, "Apex, Siti"] })).toMatchObject({
      account: odoo("res.partner", "40"),
      contact: odoo("res.partner", "41"),
    });
  });

  it("tells a person customer it has no record of by Odoo's 'Company, Person' name, and never links them as the account", () => {
    const person = { ...lead, partner_id: [42, "Apex Logistics Pte. Ltd., Grace Koh"], partner_name: "Apex Logistics Pte. Ltd.", contact_name: "Grace Koh" };
    expect(draftOf("crm.lead", person)).toMatchObject({ account: null, contact: odoo("res.partner", "42") });
    const company = { ...lead, partner_id: [43, "Koh, Tan & Partners"], partner_name: "Koh, Tan & Partners", contact_name: "Grace Koh" };
    expect(draftOf("crm.lead", company)).toMatchObject({ account: odoo("res.partner", "43"), contact: null });
  });

  it("is won in a won stage, and lost when archived at probability 0 with a lost reason", () => {
    expect(draftOf("crm.lead", { ...lead, stage_id: [4, "Won"], probability: 100, date_closed: "2026-11-20 09:00:00" })).toMatchObject({
      outcome: "won",
      stage: { name: "Won", sequence: 70, isWon: true },
      closedAt: "2026-11-20 09:00:00",
    });
    expect(draftOf("crm.lead", { ...lead, active: false, probability: 0, lost_reason_id: [1, "Too expensive"] })).toMatchObject({
      outcome: "lost",
      lostReason: "Too expensive",
      active: false,
    });
  });

  it("rejects a lead without a name", () => {
    expect(map("crm.lead", { ...lead, name: false }).rejected).toEqual([{ ref: odoo("crm.lead", "9"), reason: "crm.lead has no name" }]);
  });
});

describe("leadOutcome", () => {
  it("follows won_status where the Odoo has it, and the archive rules where it does not", () => {
    expect(leadOutcome({ won_status: "won", active: true }, false)).toBe("won");
    expect(leadOutcome({ won_status: "lost", active: false, probability: 0, lost_reason_id: false }, false)).toBe("lost");
    // archived without a reason: set aside, not lost
    expect(leadOutcome({ active: false, probability: 0, lost_reason_id: false }, false)).toBe("open");
    expect(leadOutcome({ active: false, probability: 20, lost_reason_id: [1, "Too expensive"] }, false)).toBe("open");
  });
});

describe("odooMapper: users, teams and activities", () => {
  it("maps a user with their sales team and a team with its leader and members", () => {
    expect(draftOf("res.users", { name: "Wei Tan", login: "wei@acme.test", email: false, sale_team_id: [3, "Direct Sales"], active: true })).toEqual({
      kind: "user",
      name: "Wei Tan",
      email: null,
      login: "wei@acme.test",
      team: odoo("crm.team", "3"),
      active: true,
    });
    expect(draftOf("crm.team", { name: "Direct Sales", user_id: [12, "Wei Tan"], member_ids: [12, 13], active: true })).toEqual({
      kind: "team",
      name: "Direct Sales",
      leader: odoo("res.users", "12"),
      members: [odoo("res.users", "12"), odoo("res.users", "13")],
      active: true,
    });
  });

  it("maps a planned activity and a done activity's message to activities about their lead", () => {
    expect(
      draftOf("mail.activity", {
        activity_type_id: [2, "Call"],
        summary: "Discovery call",
        date_deadline: "2026-12-10",
        user_id: [12, "Wei"],
        res_model: "crm.lead",
        res_id: 77,
        active: true,
      }),
    ).toEqual({
      kind: "activity",
      activityType: "Call",
      summary: "Discovery call",
      state: "planned",
      at: "2026-12-10",
      owner: odoo("res.users", "12"),
      about: odoo("crm.lead", "77"),
      active: true,
    });
    expect(
      draftOf("mail.message", {
        mail_activity_type_id: [2, "Call"],
        date: "2026-11-30 14:00:00",
        body: "<div><p>Discovery call</p><p>Budget &amp; timeline agreed</p></div>",
        author_id: [55, "Wei Tan"],
        create_uid: [12, "Wei Tan"],
        model: "crm.lead",
        res_id: 77,
      }),
    ).toEqual({
      kind: "activity",
      activityType: "Call",
      summary: "Discovery call Budget & timeline agreed",
      state: "done",
      at: "2026-11-30 14:00:00",
      owner: odoo("res.users", "12"),
      about: odoo("crm.lead", "77"),
      active: true,
    });
  });

  it("leaves activities on other models unlinked and rejects a message that is not a done activity", () => {
    expect(draftOf("mail.activity", { activity_type_id: [2, "Call"], date_deadline: "2026-12-10", res_model: "project.task", res_id: 5 })).toMatchObject({
      about: null,
    });
    expect(map("mail.message", { mail_activity_type_id: false, date: "2026-11-30 14:00:00" }).rejected[0]?.reason).toMatch(/not a done activity/);
  });

  it("maps reference records to nothing and rejects entities it does not know", () => {
    expect(map("crm.stage", { name: "New" })).toEqual({ mapped: [], rejected: [] });
    expect(map("sale.order", { name: "S0001" }).rejected[0]?.reason).toBe("the Odoo mapper does not know sale.order");
  });
});

describe("bodyText", () => {
  it("reads an HTML body as text, and an empty one as null", () => {
    expect(bodyText("<p>Call&nbsp;done</p><br/><p>Next: &lt;demo&gt;</p>")).toBe("Call done Next: <demo>");
    expect(bodyText("<p></p>")).toBeNull();
    expect(bodyText(false)).toBeNull();
  });
});
