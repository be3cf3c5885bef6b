import { ensureOdooSynced } from "./support/crm";
import { odooSession } from "./support/odoo-rpc";
import { expect, test } from "./support/test";

/**
 * The Pipeline page in a real browser on globex's demo CRM: once a sync has
 * brought Odoo's deals into the lake, the funnel's figure for a stage is the
 * number of open deals the test counts itself in the Odoo simulator over
 * JSON-RPC (not from our tables), with and without a tag chosen in the
 * filter form by keyboard; the page fits a phone's width.
 */
type Lead = {
  stage_id: [number, string] | false;
  type: string;
  create_date: string;
  tag_ids: number[];
  active: boolean;
};

/** What Odoo holds for globex: its leads, the stages and the tags. */
async function odooCrm() {
  const { companyId, searchRead } = await odooSession("globex");
  return {
    leads: await searchRead<Lead>("crm.lead", [["company_id", "=", companyId]], ["stage_id", "type", "create_date", "tag_ids", "active"]),
    stages: await searchRead<{ id: number; name: string; is_won: boolean }>("crm.stage", [], ["name", "is_won"]),
    tags: await searchRead<{ id: number; name: string }>("crm.tag", [], ["name"]),
  };
}

/** The Singapore month (YYYY-MM) of an Odoo UTC datetime. */
const singaporeMonth = (odooDatetime: string) => new Date(Date.parse(`${odooDatetime.replace(" ", "T")}Z`) + 8 * 3600_000).toISOString().slice(0, 7);

/** The first month of the page's default period: the last 12 Singapore months, this one included. */
function defaultFrom(): string {
  const month = new Date(Date.now() + 8 * 3600_000);
  month.setUTCDate(1);
  month.setUTCMonth(month.getUTCMonth() - 11);
  return month.toISOString().slice(0, 7);
}

test.use({ signedInAs: "globexAdmin" });

test("the funnel counts the open deals Odoo holds per stage, and a tag narrows it", async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto("/app/pipeline");
  await expect(page.getByRole("heading", { name: "Pipeline", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Sales" })).toHaveClass(/bg-brand-50/);
  await ensureOdooSynced(page, "globex");

  const odoo = await odooCrm();
  const wonStages = new Set(odoo.stages.filter((s) => s.is_won).map((s) => s.id));
  const from = defaultFrom();
  // Open: active and not in a won stage; in the period: opened (created) in one of its months.
  const open = odoo.leads.filter((l) => l.active && !(l.stage_id && wonStages.has(l.stage_id[0])) && singaporeMonth(l.create_date) >= from);
  const stageName = (l: Lead) => (l.stage_id ? l.stage_id[1] : l.type);
  const stage = odoo.stages.find((s) => !s.is_won && open.some((l) => stageName(l) === s.name))!;
  const inStage = open.filter((l) => stageName(l) === stage.name);
  expect(inStage.length, `open deals in ${stage.name}`).toBeGreaterThan(0);

  await page.goto("/app/pipeline");
  await expect(page.getByTestId("data-as-of-odoo")).toContainText("data as of");
  const funnel = page.getByRole("figure", { name: /Open pipeline by stage/ });
  await funnel.getByText("Show as table").click();
  const figure = funnel.getByTestId(`funnel-count-${stage.name}`);
  await expect(figure).toHaveText(String(inStage.length));
  await expect(figure).toHaveAttribute(
    "href",
    new RegExp(`^/app/opportunities\\?stage=${encodeURIComponent(stage.name).replace(/%20/g, "\\+")}&outcome=open&opened_from=${from}&opened_to=`),
  );

  // The page scrolls down, never sideways, at a phone's width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: "test-results/screenshots/pipeline-phone.png", fullPage: true });

  // The filter form by keyboard: type a tag, press Enter.
  const tag = odoo.tags.find((t) => inStage.some((l) => l.tag_ids.includes(t.id)))!;
  const tagged = inStage.filter((l) => l.tag_ids.includes(tag.id));
  const tagField = page.getByRole("combobox", { name: "Tag", exact: true });
  await tagField.fill(tag.name);
  await tagField.press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]tag=${encodeURIComponent(tag.name)}(&|$)`));
  const filtered = page.getByRole("figure", { name: /Open pipeline by stage/ });
  await filtered.getByText("Show as table").click();
  await expect(filtered.getByTestId(`funnel-count-${stage.name}`)).toHaveText(String(tagged.length));
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
    "href",
    new RegExp(`^/api/export/crm/pipeline\\.csv\\?tag=${encodeURIComponent(tag.name)}&`),
  );
});
