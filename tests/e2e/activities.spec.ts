import { ensureOdooSynced } from "./support/crm";
import { odooSession } from "./support/odoo-rpc";
import { expect, test } from "./support/test";

/**
 * The Activities page on globex's demo CRM, at phone width: the feed and its
 * tabs, and the overdue planned activities per owner, whose total the
 * journey works out from the Odoo simulator's own activities.
 */
test.use({ signedInAs: "globexAdmin" });

test("an admin sees the overdue activities Odoo holds and moves through the feed at phone width", async ({ page }) => {
  test.setTimeout(240_000);
  await ensureOdooSynced(page, "globex");
  const odoo = await odooSession("globex");
  const leads = await odoo.call<number[]>("crm.lead", "search", [[["company_id", "=", odoo.companyId]]], { context: { active_test: false } });
  // As in Odoo, a planned activity is overdue once its due day is past (Singapore's today); one due today is not.
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const overdue = await odoo.call<number>("mail.activity", "search_count", [
    [
      ["res_model", "=", "crm.lead"],
      ["res_id", "in", leads],
      ["date_deadline", "<", today],
    ],
  ]);

  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto("/app/activities");
  await expect(page.getByRole("heading", { name: "Activities", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Sales dashboards" }).getByRole("link", { name: "Activities" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("data-as-of-odoo")).toContainText("Odoo");
  const perOwner = page.getByTestId("overdue-by-owner");
  const counts = await perOwner.locator("tbody tr td:nth-child(2)").allTextContents();
  expect(counts.reduce((sum, text) => sum + Number(text.replace(/,/g, "")), 0)).toBe(overdue);

  await expect(page.getByTestId("activity-feed")).toBeVisible();
  await page.getByRole("link", { name: "Overdue" }).click();
  await expect(page).toHaveURL(/view=overdue/);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", "/api/export/crm/activities.csv?view=overdue");
  await page.getByText("Show as table").click();
  await expect(page.getByRole("table", { name: /Activities done per rep per week/ })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "nothing wider than the phone").toBeLessThanOrEqual(375);
  await page.screenshot({ path: "test-results/screenshots/activities.png", fullPage: true });
});
