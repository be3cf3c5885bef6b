import { DEMO_USERS as IDP_USERS } from "../../app/dev/idp-accounts.server";
import { formatCount, formatPercent } from "../../app/utils/number-format";
import { adminToken, expectFigure, syncNow } from "./support/crm";
import { queryE2eDatabase } from "./support/database";
import { odooSession, type OdooSession } from "./support/odoo-rpc";
import { openShortlistWithRows } from "./support/shortlist";
import { DEMO_USERS, expect, test } from "./support/test";

/**
 * The Lead engine outcome page at phone width, on a world the journey makes
 * itself: acme's nightly run has pushed its companies to Odoo (push mode
 * after_run); in Odoo, three of the pushed companies get an opportunity each,
 * owned by the signed-in salesperson, and one is won and one lost; after a
 * lake sync the page shows exactly those, with the pushed companies counted
 * in Odoo itself.
 */
test.use({ signedInAs: "ops" });

type Partner = { id: number; name: string };

/** acme's runs still under way, or finished with companies whose push to Odoo has not finished well yet. */
async function runsAwaitingTheirPush(): Promise<number> {
  const [row] = await queryE2eDatabase<{ n: number }>(
    `SELECT count(*)::int AS n FROM runs r JOIN tenants t ON t.id = r.tenant_id
      WHERE t.slug = 'acme'
        AND (r.status IN ('queued', 'running', 'finalizing')
             OR (r.status = 'succeeded' AND COALESCE((r.metrics->>'companies')::int, 0) > 0
                 AND NOT EXISTS (SELECT 1 FROM run_event_logs e WHERE e.tenant_id = r.tenant_id AND e.run_id = r.id
                                   AND e.stage = 'odoo_push' AND e.event = 'finished' AND e.status = 'ok')))`,
  );
  return row!.n;
}

/** The companies the platform pushed into acme's Odoo: its company partners keyed by UEN (`ref`), which only the push sets. */
function pushedPartners(odoo: OdooSession): Promise<Partner[]> {
  return odoo.searchRead<Partner>(
    "res.partner",
    [
      ["company_id", "=", odoo.companyId],
      ["is_company", "=", true],
      ["ref", "!=", false],
    ],
    ["name"],
  );
}

/** An opportunity on a pushed company, owned by `ownerId`; its id. */
function createOpportunity(odoo: OdooSession, partner: Partner, ownerId: number, value: number): Promise<number> {
  return odoo.call<number>("crm.lead", "create", [
    {
      name: `Outcome journey: ${partner.name}`,
      type: "opportunity",
      partner_id: partner.id,
      user_id: ownerId,
      company_id: odoo.companyId,
      expected_revenue: value,
      probability: 40,
    },
  ]);
}

test("the Lead engine outcome page counts the opportunities, wins and won value of the pushed leads, at phone width", async ({ page, playwright, baseURL }) => {
  test.setTimeout(12 * 60_000);
  const [settings] = await queryE2eDatabase<{ mode: string | null }>(
    "SELECT s.odoo_push_mode AS mode FROM tenants t LEFT JOIN tenant_settings s ON s.tenant_id = t.id WHERE t.slug = 'acme'",
  );
  expect(settings!.mode ?? "after_run", "acme pushes each run's leads when it finishes").toBe("after_run");
  await openShortlistWithRows(page);
  await expect.poll(runsAwaitingTheirPush, { message: "every finished run has pushed its companies to Odoo", timeout: 5 * 60_000, intervals: [2000] }).toBe(0);

  const odoo = await odooSession("acme");
  const pushed = await pushedPartners(odoo);
  expect(pushed.length, "the run pushed at least three companies").toBeGreaterThanOrEqual(3);
  const opsSub = IDP_USERS.find((u) => u.email === DEMO_USERS.ops)!.sub;
  const [owner] = await odoo.searchRead<{ id: number }>("res.users", [["oauth_uid", "=", opsSub]], ["name"]);
  const [wonStage] = await odoo.searchRead<{ id: number }>("crm.stage", [["is_won", "=", true]], ["name"]);
  const [reason] = await odoo.searchRead<{ id: number }>("crm.lost.reason", [], ["name"]);
  const [wonPartner, lostPartner, openPartner] = pushed;
  const won = await createOpportunity(odoo, wonPartner!, owner!.id, 120_000);
  const lost = await createOpportunity(odoo, lostPartner!, owner!.id, 45_000);
  await createOpportunity(odoo, openPartner!, owner!.id, 30_000);
  await odoo.call("crm.lead", "write", [[won], { stage_id: wonStage!.id }]);
  await odoo.call("crm.lead", "action_set_lost", [[lost]], { lost_reason_id: reason!.id });
  // An API client of acme with an admin's token (acme's demo users are no admins), without the page's session cookie.
  await using api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  await syncNow(api, { Authorization: `Bearer ${await adminToken("acme")}` });

  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/app/lead-outcomes");
  await expect(page.getByRole("heading", { name: "Lead engine outcome", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Sales dashboards" }).getByRole("link", { name: "Lead engine outcome" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByTestId("data-as-of-odoo")).toContainText("data as of");
  await expect(page.getByTestId("outcome-scope")).toHaveText(/^Your own deals only/);
  const figures = page.getByRole("main").locator("dl").first();
  await expectFigure(figures, "Pushed leads", formatCount(pushed.length));
  await expectFigure(figures, "Became opportunities", "3", formatPercent(3 / pushed.length));
  await expectFigure(figures, "Won", "1", `${formatPercent(1 / 2)} win rate`);
  await expectFigure(figures, "Conversion", formatPercent(1 / pushed.length), "pushed leads with a won deal");
  await expectFigure(figures, "Won value", formatCount(120_000), `${formatCount(30_000)} still open`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "nothing wider than the phone").toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/screenshots/lead-outcomes-phone.png", fullPage: true });

  // The won figure opens the one deal won.
  await figures.getByRole("link", { name: "1 won deals: show the deals" }).click();
  const deals = page.getByRole("table", { name: /^Deals sorted by/ }).locator("tbody tr");
  await expect(deals).toHaveCount(1);
  await expect(deals).toContainText(`Outcome journey: ${wonPartner!.name}`);
});
