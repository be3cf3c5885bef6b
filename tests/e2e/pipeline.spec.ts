import { readFile } from "node:fs/promises";
import path from "node:path";
import { queryE2eDatabase } from "./support/database";
import { expect, test, type Page } from "./support/test";

/**
 * The Pipeline page in a real browser on globex's demo CRM: once a sync has
 * brought Odoo's deals into the lake, the funnel's figure for a stage is the
 * number of open deals the test counts itself in the Odoo simulator over
 * JSON-RPC (not from our tables), with and without a tag chosen in the
 * filter form by keyboard; the page fits a phone's width.
 */
type OdooEnv = { ODOO_URL: string; ODOO_DB: string; ODOO_ADMIN_LOGIN: string; ODOO_ADMIN_PASSWORD: string };
type Lead = {
  stage_id: [number, string] | false;
  type: string;
  create_date: string;
  tag_ids: number[];
  active: boolean;
};

async function odooEnv(): Promise<OdooEnv> {
  return (JSON.parse(await readFile(path.resolve(".data/e2e/stand-ins.json"), "utf8")) as { env: OdooEnv }).env;
}

let rpcId = 0;
async function jsonRpc<T>(url: string, service: string, method: string, args: unknown[]): Promise<T> {
  const response = await fetch(`${url}/jsonrpc`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method: "call", params: { service, method, args } }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`Odoo ${service}.${method}: ${body.error.message}`);
  return body.result as T;
}

/** What Odoo holds for a company: its leads, stages and tags, read as the platform's administrator. */
async function odooCrm(companyId: number) {
  const env = await odooEnv();
  const uid = await jsonRpc<number>(env.ODOO_URL, "common", "login", [env.ODOO_DB, env.ODOO_ADMIN_LOGIN, env.ODOO_ADMIN_PASSWORD]);
  const call = <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    jsonRpc<T>(env.ODOO_URL, "object", "execute_kw", [env.ODOO_DB, uid, env.ODOO_ADMIN_PASSWORD, model, method, args, kwargs]);
  const leads = await call<Lead[]>("crm.lead", "search_read", [[["company_id", "=", companyId]]], {
    fields: ["stage_id", "type", "create_date", "tag_ids", "active"],
  });
  const stages = await call<Array<{ id: number; name: string; is_won: boolean }>>("crm.stage", "search_read", [[]], { fields: ["name", "is_won"] });
  const tags = await call<Array<{ id: number; name: string }>>("crm.tag", "search_read", [[]], { fields: ["name"] });
  return { leads, stages, tags };
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

async function latestOdooSync(slug: string) {
  const [run] = await queryE2eDatabase<{ status: string }>(
    `SELECT r.status FROM lake_sync_runs r JOIN tenants t ON t.id = r.tenant_id
      WHERE t.slug = $1 AND r.source = 'odoo' ORDER BY r.created_at DESC LIMIT 1`,
    [slug],
  );
  return run?.status;
}

/** Waits for globex's lake to hold its Odoo deals: the scheduler's first sync, or one the Data page's button asks for. */
async function syncedLake(page: Page) {
  const succeeded = async () =>
    (
      await queryE2eDatabase<{ n: number }>(
        `SELECT count(*)::int AS n FROM lake_sync_runs r JOIN tenants t ON t.id = r.tenant_id
          WHERE t.slug = 'globex' AND r.source = 'odoo' AND r.status = 'succeeded' AND r.inserted > 0`,
      )
    )[0]!.n > 0;
  if (await succeeded()) return;
  if (!["queued", "running"].includes((await latestOdooSync("globex")) ?? "")) {
    await page.goto("/app/data");
    await page.getByRole("region", { name: "Odoo" }).getByRole("button", { name: "Sync now" }).click();
    await expect(page.getByRole("status").filter({ hasText: /Sync of Odoo queued|already in progress/ })).toBeVisible();
  }
  await expect.poll(succeeded, { timeout: 150_000, intervals: [2000] }).toBe(true);
}

test.use({ signedInAs: "globexAdmin" });

test("the funnel counts the open deals Odoo holds per stage, and a tag narrows it", async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto("/app/pipeline");
  await expect(page.getByRole("heading", { name: "Pipeline", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Sales" })).toHaveClass(/bg-brand-50/);
  await syncedLake(page);

  const [connection] = await queryE2eDatabase<{ company_id: number }>(
    "SELECT c.company_id FROM odoo_connections c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'globex'",
  );
  const odoo = await odooCrm(connection!.company_id);
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
