import { queryE2eDatabase } from "./support/database";
import { expect, test } from "./support/test";

/**
 * The Lead engine outcome page at phone width: it shows the state the
 * database is in (no pushed lead yet, pushed leads waiting for a lake sync,
 * or the figures, whose count of pushed leads the test reads from the push's
 * own bookkeeping), under the CRM tabs and the "data as of" line, and nothing
 * overflows the screen.
 */
test.use({ signedInAs: "ops" });

test("the Lead engine outcome page answers at phone width with what the push and the lake hold", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  const [stored] = await queryE2eDatabase<{ pushed: number; synced: boolean }>(
    `SELECT (SELECT count(*)::int FROM odoo_partner_links l JOIN lead_scores s ON s.tenant_id = l.tenant_id AND s.run_id = l.first_run_id AND s.uen = l.uen
              WHERE l.tenant_id = t.id) AS pushed,
            EXISTS (SELECT 1 FROM lake_sources s WHERE s.tenant_id = t.id AND s.source = 'odoo' AND s.last_success_at IS NOT NULL) AS synced
       FROM tenants t WHERE t.slug = 'acme'`,
  );
  await page.goto("/app/lead-outcomes");
  await expect(page.getByRole("heading", { name: "Lead engine outcome", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Sales dashboards" }).getByRole("link", { name: "Lead engine outcome" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  if (stored!.pushed === 0) {
    await expect(page.getByRole("heading", { name: "No pushed leads yet" })).toBeVisible();
  } else if (!stored!.synced) {
    await expect(page.getByRole("heading", { name: "No lake sync yet" })).toBeVisible();
  } else {
    await expect(page.getByText("Pushed leads", { exact: true }).locator("..")).toContainText(String(stored!.pushed));
    await page.getByText("Show as table").click();
    await expect(page.getByRole("table", { name: "Conversion by score bucket" })).toBeVisible();
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
