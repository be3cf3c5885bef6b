import { ensureOdooSynced, syncNow } from "./support/crm";
import { queryE2eDatabase } from "./support/database";
import { graphMeetings } from "./support/graph";
import { odooSession } from "./support/odoo-rpc";
import { expect, test } from "./support/test";

/**
 * A deal's page in a real browser on globex's demo data: once Odoo and
 * Microsoft 365 have synced, its timeline lists, beside Odoo's activities,
 * the Outlook meetings its customer's people were invited to since the deal
 * opened. Which meetings those are is worked out from the simulators' own
 * records (Odoo over JSON-RPC, the calendars over Graph), not from our tables.
 */
type Lead = { id: number; partner_id: [number, string] | false; create_date: string };
type Partner = { id: number; parent_id: [number, string] | false; email: string | false; active: boolean; is_company: boolean };

test.use({ signedInAs: "globexAdmin" });

test("a deal's timeline shows the Outlook meetings its customer's people were in since it opened", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto("/app/data");
  await ensureOdooSynced(page, "globex");
  await syncNow(page.request, { Origin: new URL(page.url()).origin }, "m365");

  const { companyId, searchRead } = await odooSession("globex");
  const leads = await searchRead<Lead>(
    "crm.lead",
    [
      ["company_id", "=", companyId],
      ["type", "=", "opportunity"],
      ["active", "=", true],
    ],
    ["partner_id", "create_date"],
  );
  const partners = await searchRead<Partner>("res.partner", [["company_id", "=", companyId]], ["parent_id", "email", "active", "is_company"]);
  const meetings = (await graphMeetings("globex")).filter((m) => !m.isCancelled);

  /** The meetings a deal's timeline must list: one of its customer's people attends, and it starts no earlier than the deal was created. */
  const expectedFor = (lead: Lead) => {
    const account = partners.find((p) => p.is_company && p.active && lead.partner_id && p.id === lead.partner_id[0]);
    if (!account) return [];
    const emails = new Set(
      partners.filter((p) => p.active && p.parent_id && p.parent_id[0] === account.id && p.email).map((p) => String(p.email).toLowerCase()),
    );
    const opened = Date.parse(`${lead.create_date.replace(" ", "T")}Z`);
    return meetings.filter((m) => Date.parse(m.start) >= opened && m.attendees.some((a) => emails.has(a)));
  };
  const [lead, expected] = leads.map((l) => [l, expectedFor(l)] as const).sort(([a, x], [b, y]) => y.length - x.length || a.id - b.id)[0]!;
  expect(expected.length, "the demo calendars invite globex's customers to meetings about its deals").toBeGreaterThan(0);

  const [stored] = await queryE2eDatabase<{ id: string }>(
    `SELECT s.canonical_id AS id FROM lake_source_records s JOIN tenants t ON t.id = s.tenant_id
     WHERE t.slug = 'globex' AND s.source = 'odoo' AND s.entity = 'crm.lead' AND s.source_id = $1 AND s.removed_at IS NULL`,
    [String(lead.id)],
  );
  await page.goto(`/app/opportunities/${stored!.id}`);
  const timeline = page.getByRole("table", { name: "Timeline, newest first" });
  await expect(timeline).toBeVisible();
  const outlookRows = timeline.getByRole("row").filter({ has: page.getByRole("cell", { name: "Outlook", exact: true }) });
  await expect(outlookRows).toHaveCount(expected.length);
  const shown = (await outlookRows.allTextContents()).map((text) => expected.find((m) => text.includes(m.subject))?.subject ?? text);
  expect(shown.sort()).toEqual(expected.map((m) => m.subject).sort());
});
