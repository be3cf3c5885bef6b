import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { type LakeAccess } from "~/lake/hierarchy";
import { withLakeScope } from "~/lake/hierarchy.server";
import { eventSourceId } from "~/lake/m365/mapper";
import { opportunityFile } from "~/lake/opportunities.server";
import { WHOLE_TENANT } from "~/lake/serving-reads.server";
import { sourceKit } from "~/lake/sources.server";
import { requestSyncIn } from "~/lake/sync-requests.server";
import { runSync } from "~/lake/sync-runner.server";
import { type OdooSession } from "~/odoo/client.server";
import { type GraphDirectory } from "../sims/graph/directory";
import { seedDemoCrm, type OdooSimulator, type SimDatabase } from "../sims/odoo";
import { createTenantWithOdoo } from "../support/lead-push-fixtures";
import { startCrmOdoo } from "../support/odoo-crm";
import { startM365Lake, type M365Lake } from "./m365/m365-lake";

/**
 * A deal's timeline holds the Outlook meetings its account's people were
 * invited to since the deal opened, beside Odoo's activities: one tenant
 * syncs its Odoo demo CRM and its Microsoft 365 demo directory, whose
 * meetings invite the same customers (both seeded from the company's name,
 * as the dev runner seeds them). The meetings each deal must show are worked
 * out from the two simulators' own records.
 */
const ACCOUNTS_SEED = "Timeline Co";
const DIRECTORY = { directoryId: "5d2e8f10-3c4b-4a59-9e6d-7f8a9b0c1d2e", domain: "timeline.onmicrosoft.com", clientId: "lake-app", clientSecret: "s3cret" };
const NOW = new Date("2026-11-30T12:00:00Z");
/** A workspace admin, who sees every deal and its whole timeline. */
const ADMIN: LakeAccess = { role: "admin", lakeUserId: null, scope: WHOLE_TENANT };

let sim: OdooSimulator;
let admin: OdooSession;
let odoo: SimDatabase;
let m365: M365Lake;
let directory: GraphDirectory;
let tenant: { tenantId: string; companyId: number };

beforeAll(async () => {
  ({ sim, admin, odoo } = await startCrmOdoo());
  tenant = await createTenantWithOdoo(sim, admin);
  seedDemoCrm(odoo, { companyId: tenant.companyId, leads: 300, now: NOW, accountsSeed: ACCOUNTS_SEED });
  m365 = await startM365Lake(DIRECTORY, 5, { tenantId: tenant.tenantId, crmAccounts: ACCOUNTS_SEED });
  directory = m365.directory;
  const { syncRunId } = await db.$withTenant(tenant.tenantId, (tx) =>
    requestSyncIn(tx, tenant.tenantId, { source: "odoo", mode: "full", trigger: "cli", queue: false }),
  );
  expect((await runSync(tenant.tenantId, syncRunId, await sourceKit(tenant.tenantId, "odoo")))?.status).toBe("succeeded");
  expect((await m365.sync("full"))?.status).toBe("succeeded");
}, 120_000);
afterAll(async () => {
  await m365?.sim.close();
  await sim?.stop();
});

const many2oneId = (value: unknown) => (Array.isArray(value) ? (value[0] as number) : typeof value === "number" ? value : null);
const odooInstant = (text: unknown) => Date.parse(`${String(text).replace(" ", "T")}Z`);

/** The meetings of mailboxes the lake reads, live and not cancelled, by the reference the lake keeps. */
function readableMeetings() {
  const mailboxes = new Set([...directory.users.values()].filter((u) => !u.deleted && u.item.accountEnabled && u.item.hasMailbox).map((u) => u.item.id));
  return [...directory.events.values()].filter((e) => !e.deleted && !e.item.isCancelled && mailboxes.has(e.owner));
}

/**
 * Opportunities on an active customer company, each with the meetings its
 * timeline must list: an attendee is one of the company's people, and the
 * meeting starts no earlier than the deal was created.
 */
function expectedMeetings() {
  const partners = odoo.records("res.partner");
  const meetings = readableMeetings();
  return odoo
    .records("crm.lead")
    .filter((l) => l.company_id === tenant.companyId && l.type === "opportunity")
    .flatMap((lead) => {
      const account = partners.find((p) => p.id === many2oneId(lead.partner_id));
      if (!account?.active) return [];
      const emails = new Set(partners.filter((p) => p.parent_id === account.id && p.active !== false).map((p) => String(p.email).toLowerCase()));
      const opened = odooInstant(lead.create_date);
      const expected = meetings
        .filter((m) => Date.parse(m.item.start) >= opened && m.item.attendees.some((a) => emails.has(a.address.toLowerCase())))
        .map((m) => eventSourceId(m.owner, m.item.id))
        .sort();
      return [{ leadId: lead.id, expected }];
    });
}

/** The lake's opportunity for an Odoo lead, and the source references of the Outlook meetings on its timeline. */
async function timelineMeetings(leadId: number) {
  return withLakeScope(tenant.tenantId, WHOLE_TENANT, async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT canonical_id AS id FROM lake_source_records WHERE source = 'odoo' AND entity = 'crm.lead' AND source_id = ${String(leadId)} AND removed_at IS NULL`;
    const deal = await opportunityFile(tx, ADMIN, row!.id);
    const meetingIds = deal!.timeline.filter((entry) => entry.source === "m365").map((entry) => entry.id);
    const refs = meetingIds.length
      ? await tx.$queryRaw<Array<{ ref: string }>>`
          SELECT source_id AS ref FROM lake_source_records WHERE source = 'm365' AND entity = 'events' AND canonical_id = ANY(${meetingIds}::uuid[]) AND removed_at IS NULL`
      : [];
    return { meetings: refs.map((r) => r.ref).sort(), odooEntries: deal!.timeline.filter((entry) => entry.source === "odoo").length };
  });
}

describe("a deal's timeline", () => {
  it("lists every Outlook meeting its customer's people were invited to since it opened, and no other", async () => {
    const deals = expectedMeetings();
    const withMeetings = deals.filter((d) => d.expected.length > 0);
    // The demo calendars invite the CRM's customers often enough for many deals to show meetings, and some to show none.
    expect(withMeetings.length).toBeGreaterThan(20);
    expect(deals.length - withMeetings.length).toBeGreaterThan(0);
    for (const deal of [...withMeetings.slice(0, 15), ...deals.filter((d) => d.expected.length === 0).slice(0, 5)]) {
      const { meetings } = await timelineMeetings(deal.leadId);
      expect(meetings, `Odoo lead ${deal.leadId}`).toEqual(deal.expected);
    }
  });

  it("keeps Odoo's activities about the deal beside the meetings", async () => {
    const messages = odoo.records("mail.message").filter((m) => m.model === "crm.lead");
    const lead = expectedMeetings().find((d) => d.expected.length > 0 && messages.some((m) => m.res_id === d.leadId))!;
    const { meetings, odooEntries } = await timelineMeetings(lead.leadId);
    expect(meetings).toEqual(lead.expected);
    expect(odooEntries).toBeGreaterThan(0);
  });
});
