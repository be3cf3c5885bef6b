import { ensureOdooSynced, singaporeDay } from "./support/crm";
import { odooSession } from "./support/odoo-rpc";
import { expect, test } from "./support/test";

/**
 * The Performance page on globex's demo CRM over the last 366 days, at phone
 * width: the deals won, which the journey counts in the Odoo simulator, and
 * the figure's link to those deals.
 */
test.use({ signedInAs: "globexAdmin" });

test("an admin sees the deals Odoo records as won and follows the figure to them", async ({ page }) => {
  test.setTimeout(240_000);
  await ensureOdooSynced(page, "globex");
  const odoo = await odooSession("globex");
  // Won deals sit in the won stage at 100 %; the demo closes every one within the last year.
  const won = await odoo.call<number>("crm.lead", "search_count", [
    [
      ["company_id", "=", odoo.companyId],
      ["probability", "=", 100],
    ],
  ]);

  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`/app/performance?from=${singaporeDay(-365)}&to=${singaporeDay()}`);
  await expect(page.getByRole("heading", { name: "Performance", level: 1 })).toBeVisible();
  const figures = page.getByTestId("kpi-figures");
  await expect(figures).toContainText(`${won.toLocaleString("en-SG")} deals won`);
  await expect(figures.getByRole("link").first()).toHaveAttribute("href", "/app/opportunities?outcome=won");
  await expect(page.getByTestId("per-team")).toBeVisible();
  await expect(page.getByTestId("stage-conversion")).toBeVisible();
  await page.getByText("Show as table").click();
  await expect(page.getByRole("table", { name: /KPIs per month/ })).toBeVisible();

  await page.getByLabel("From", { exact: true }).fill(singaporeDay(-6));
  await page.getByLabel("To", { exact: true }).fill(singaporeDay());
  await page.getByRole("button", { name: "Show" }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`from=${singaporeDay(-6)}`));
  await expect(page.getByRole("heading", { name: "Won value per day" })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "nothing wider than the phone").toBeLessThanOrEqual(375);
  await page.screenshot({ path: "test-results/screenshots/performance.png", fullPage: true });
});
