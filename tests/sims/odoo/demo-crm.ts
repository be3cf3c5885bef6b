import { seededRandom } from "../../../app/utils/seeded-random";
import { installMailData } from "./crm-models";
import { DEMO_ACCOUNTS, demoAccounts, FIRST, LAST, TRADES } from "./demo-accounts";
import { type Rec, type SimDatabase } from "./orm";

/**
 * Demo CRM data for one Odoo company: partner companies with their people,
 * salespeople in two sales teams, leads and opportunities across the
 * pipeline (won, lost, open), planned activities and the messages done
 * activities left. Seeded, so the same options give the same records; rows
 * are inserted straight into the simulator's tables (no ORM call per
 * record), so 100,000 leads take about a second.
 */

export type DemoCrmOptions = {
  companyId: number;
  seed?: number;
  /**
   * What the customer companies and their people are generated from (default
   * `seed`, else the company id): the Graph simulator's demo calendars invite
   * the people of the same seed, so the dev runner gives both the company's name.
   */
  accountsSeed?: string;
  /** Partner companies; each has one to three people. */
  companies?: number;
  leads?: number;
  /** Planned activities and done-activity messages on the leads (default true; a benchmark of leads alone turns them off). */
  activities?: boolean;
  /** The newest create/write date; records spread over the year before it. */
  now?: Date;
  /**
   * Real people in some of the eight salesperson seats (0 leads Direct Sales
   * and 1–3 are its reps; 4 leads Channel Sales and 5–7 are its reps), each
   * already linked to the identity provider (`oauth_uid` = their subject), so
   * a demo user of the platform is that salesperson when they sign in.
   */
  salespeople?: readonly DemoSalesperson[];
};

export type DemoSalesperson = { seat: number; name: string; email: string; oauthUid: string };

/** How many salespeople the demo CRM has: two teams of four, the first of each leading it. */
export const DEMO_SALES_SEATS = 8;

export type DemoCrmSummary = { companies: number; people: number; users: number; teams: number; leads: number; activities: number; messages: number };

const TAGS = ["Software", "Consulting", "Hardware", "Services", "Training", "Enterprise", "SME"];
const CATEGORIES = ["Customer", "Prospect", "Partner", "Vendor"];
const SUMMARIES = ["Discovery call", "Send proposal", "Product demo", "Follow up on quote", "Contract review", "Check budget"];
const LEAD_SOURCES = ["Website form", "Trade show", "Referral", "Cold call", "LinkedIn"];

/** Odoo's datetime text, UTC, second precision. */
function odooDatetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** Fills one company's CRM. Installs crm first when the database does not have it. */
export function seedDemoCrm(db: SimDatabase, options: DemoCrmOptions): DemoCrmSummary {
  if (!db.isInstalled("crm")) db.install(["crm"]);
  if (db.xmlId("mail.mail_activity_data_call") === undefined) installMailData(db);
  const random = seededRandom(options.seed ?? options.companyId);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const nowMs = (options.now ?? new Date()).getTime();
  const yearMs = 365 * 86_400_000;
  const companyId = options.companyId;
  /** Creation and last change somewhere in the past year, change after creation. */
  const dates = () => {
    const created = nowMs - Math.floor(random() * yearMs);
    return { create_date: odooDatetime(created), write_date: odooDatetime(created + Math.floor(random() * (nowMs - created))), create_uid: 2, write_uid: 2 };
  };
  const insert = (model: string, values: Record<string, unknown>): Rec => db.insert(model, { ...dates(), ...values });
  const byName = (model: string, name: string, values: Record<string, unknown> = {}) =>
    Object.values(db.table(model)).find((r) => r.name === name)?.id ?? insert(model, { name, ...values }).id;

  const tagIds = TAGS.map((name, i) => byName("crm.tag", name, { color: i + 1 }));
  const categoryIds = CATEGORIES.map((name, i) => byName("res.partner.category", name, { color: i + 1, active: true }));
  const stages = Object.values(db.table("crm.stage")).sort((a, b) => (a.sequence as number) - (b.sequence as number));
  const wonStage = stages.find((s) => s.is_won)!;
  const openStages = stages.filter((s) => !s.is_won);
  const lostReasons = Object.keys(db.table("crm.lost.reason")).map(Number);
  const activityTypes = ["email", "call", "meeting", "todo"].map((t) => db.ref(`mail.mail_activity_data_${t}`));
  const activitiesSubtype = db.xmlId("mail.mt_activities") ?? false;
  const singapore = db.xmlId("base.sg") ?? false;
  const salesmanGroups = db.groupClosure([db.ref("sales_team.group_sale_salesman")]);

  // salespeople and their two teams
  const users: Rec[] = [];
  for (let i = 0; i < DEMO_SALES_SEATS; i++) {
    const person = options.salespeople?.find((p) => p.seat === i);
    const name = person?.name ?? `${FIRST[(i * 5) % FIRST.length]} ${LAST[(i * 3 + companyId) % LAST.length]}`;
    const login = person?.email ?? `sales${i + 1}.c${companyId}@demo.example`;
    const partner = insert("res.partner", { name, email: login, company_id: companyId, type: "contact", is_company: false, active: true });
    users.push(
      insert("res.users", {
        name,
        login,
        email: login,
        ...(person ? { oauth_uid: person.oauthUid, oauth_provider_id: false } : {}),
        partner_id: partner.id,
        company_id: companyId,
        company_ids: [companyId],
        groups_id: salesmanGroups,
        active: true,
        lang: "en_US",
        login_date: false,
        sale_team_id: false,
      }),
    );
  }
  const teams = [
    { name: "Direct Sales", members: users.slice(0, 4) },
    { name: "Channel Sales", members: users.slice(4) },
  ].map(({ name, members }, i) => {
    const team = insert("crm.team", { name: `${name}`, sequence: 10 + i, active: true, company_id: companyId, user_id: members[0]!.id });
    for (const user of members) {
      insert("crm.team.member", { crm_team_id: team.id, user_id: user.id, active: true });
      user.sale_team_id = team.id;
    }
    return { team, members };
  });

  // partner companies and their people
  const accounts = demoAccounts(options.accountsSeed ?? options.seed ?? companyId, options.companies ?? DEMO_ACCOUNTS, categoryIds.length).map((account) => {
    const common = { company_id: companyId, vat: account.uen, company_registry: account.uen, country_id: singapore, active: account.active, type: "contact" };
    const company = insert("res.partner", {
      ...common,
      name: account.name,
      is_company: true,
      ref: false,
      website: `https://www.${account.domain}`,
      email: `hello@${account.domain}`,
      phone: account.phone,
      category_id: [categoryIds[account.category]],
      city: "Singapore",
    });
    const people = account.people.map((person) =>
      insert("res.partner", {
        ...common,
        name: person.name,
        is_company: false,
        parent_id: company.id,
        function: person.job,
        email: person.email,
        phone: person.phone,
        category_id: [],
      }),
    );
    return { company, people };
  });
  const people = accounts.reduce((sum, a) => sum + a.people.length, 0);

  // leads and opportunities with their activities
  let activities = 0;
  let messages = 0;
  const leadCount = options.leads ?? 1000;
  for (let i = 0; i < leadCount; i++) {
    const { team, members } = pick(teams);
    const owner = pick(members);
    const account = pick(accounts);
    const contact = pick(account.people);
    const isLead = random() < 0.2;
    const roll = random();
    const outcome = isLead ? "open" : roll < 0.15 ? "won" : roll < 0.27 ? "lost" : "open";
    const stage = outcome === "won" ? wonStage : pick(openStages);
    const created = nowMs - Math.floor(random() * yearMs);
    const changed = created + Math.floor(random() * (nowMs - created));
    const closed = outcome === "open" ? false : odooDatetime(changed);
    const lead = db.insert("crm.lead", {
      name: isLead ? `${pick(LEAD_SOURCES)}: ${account.company.name as string}` : `${pick(TRADES)} deal with ${account.company.name as string}`,
      type: isLead ? "lead" : "opportunity",
      priority: String(int(0, 3)),
      stage_id: stage.id,
      team_id: team.id,
      user_id: owner.id,
      company_id: companyId,
      partner_id: isLead ? false : account.company.id,
      contact_name: contact.name,
      partner_name: account.company.name,
      function: contact.function,
      email_from: contact.email,
      phone: contact.phone,
      website: account.company.website,
      country_id: singapore,
      description: false,
      expected_revenue: int(5, 500) * 1000,
      probability: outcome === "won" ? 100 : outcome === "lost" ? 0 : int(1, 9) * 10,
      date_deadline: odooDatetime(created + int(14, 180) * 86_400_000).slice(0, 10),
      date_closed: closed,
      // a closed deal entered its last stage when it closed; an open one somewhere between opening and its last change
      date_last_stage_update: closed || odooDatetime(created + Math.floor((changed - created) / 2)),
      active: outcome !== "lost",
      lost_reason_id: outcome === "lost" ? pick(lostReasons) : false,
      tag_ids: [...new Set([pick(tagIds), pick(tagIds)])].slice(0, int(0, 2)).sort((a, b) => a - b),
      create_date: odooDatetime(created),
      write_date: odooDatetime(changed),
      create_uid: 2,
      write_uid: 2,
    });
    const res = { res_model: "crm.lead", res_id: lead.id };
    if (options.activities === false) continue;
    if (outcome === "open" && random() < 0.35) {
      activities++;
      insert("mail.activity", {
        ...res,
        activity_type_id: pick(activityTypes),
        summary: pick(SUMMARIES),
        note: false,
        date_deadline: odooDatetime(nowMs + int(-10, 30) * 86_400_000).slice(0, 10),
        date_done: false,
        user_id: owner.id,
        active: true,
        automated: false,
      });
    }
    for (let k = int(0, 3); k > 0; k--) {
      messages++;
      const at = odooDatetime(created + Math.floor(random() * (changed - created)));
      db.insert("mail.message", {
        model: "crm.lead",
        res_id: lead.id,
        subject: false,
        date: at,
        body: `<div><p>${pick(SUMMARIES)}</p></div>`,
        record_name: lead.name,
        message_type: "notification",
        subtype_id: activitiesSubtype,
        mail_activity_type_id: pick(activityTypes),
        author_id: owner.partner_id,
        is_internal: false,
        create_date: at,
        write_date: at,
        create_uid: owner.id,
        write_uid: owner.id,
      });
    }
  }
  return { companies: accounts.length, people, users: users.length, teams: teams.length, leads: leadCount, activities, messages };
}

/**
 * Links the demo salespeople who carry an identity provider subject to the
 * database's one enabled OAuth provider once it exists (provisioning adds it after
 * the company), as an Odoo administrator who set up SSO for their sales staff
 * would: first-login provisioning then finds each by that link.
 */
export function linkDemoSalespeople(db: SimDatabase): void {
  if (!db.isInstalled("auth_oauth")) return;
  const providers = Object.values(db.table("auth.oauth.provider")).filter((p) => p.enabled);
  if (providers.length !== 1) return;
  for (const user of Object.values(db.table("res.users"))) {
    if (user.oauth_uid && !user.oauth_provider_id) user.oauth_provider_id = providers[0]!.id;
  }
}

/** Companies that have sales teams already hold demo (or real) CRM data and are left alone. */
export function companiesWithoutCrm(db: SimDatabase): number[] {
  const withTeams = new Set(Object.values(db.table("crm.team")).map((t) => t.company_id));
  const main = db.xmlId("base.main_company");
  return Object.values(db.table("res.company"))
    .map((c) => c.id)
    .filter((id) => id !== main && !withTeams.has(id));
}
