import { type APIRequestContext } from "@playwright/test";
import { queryE2eDatabase, standInsEnv } from "./database";
import { expect, type Locator, type Page } from "./test";

/**
 * What the CRM dashboard journeys share: a demo workspace's lake synced from
 * the Odoo simulator, through the Data page's button when no sync has
 * succeeded yet, or a sync asked for now through the API once a journey has
 * changed Odoo. The simulator's own records are read with `odooSession`
 * (./odoo-rpc).
 */
async function succeededOdooSyncs(slug: string): Promise<number> {
  const [row] = await queryE2eDatabase<{ n: number }>(
    `SELECT count(*)::int AS n FROM lake_sync_runs r JOIN tenants t ON t.id = r.tenant_id WHERE t.slug = $1 AND r.source = 'odoo' AND r.status = 'succeeded'`,
    [slug],
  );
  return row!.n;
}

/** Waits until the workspace's lake holds a finished Odoo sync, asking for one on the Data page if none has succeeded. */
export async function ensureOdooSynced(page: Page, slug: string): Promise<void> {
  if ((await succeededOdooSyncs(slug)) > 0) return;
  await page.goto("/app/data");
  await page.getByRole("region", { name: "Odoo" }).getByRole("button", { name: "Sync now" }).click();
  await expect.poll(() => succeededOdooSyncs(slug), { timeout: 150_000, intervals: [2000] }).toBeGreaterThan(0);
}

async function syncRunStatus(id: string): Promise<string | undefined> {
  return (await queryE2eDatabase<{ status: string }>("SELECT status FROM lake_sync_runs WHERE id = $1", [id]))[0]?.status;
}

/**
 * A full sync of one of a workspace's sources (Odoo unless told) through
 * `POST /api/sync/trigger`, waited for until it has ended without failing
 * (partial: a record was rejected; the figures a journey checks say whether
 * it mattered). The caller is an admin: `headers` carry a bearer token, or the
 * Origin a signed-in page's request needs. A sync already under way may have
 * read the source before the journey's last change, so it is waited out and
 * another one asked for.
 */
export async function syncNow(request: APIRequestContext, headers: Record<string, string>, source: "odoo" | "m365" = "odoo"): Promise<void> {
  for (;;) {
    const response = await request.post("/api/sync/trigger", { headers, data: { source, mode: "full" } });
    expect(response.status(), await response.text()).toBe(202);
    const queued = (await response.json()) as { syncRunId: string; alreadyActive: boolean };
    await expect.poll(() => syncRunStatus(queued.syncRunId), { timeout: 150_000, intervals: [1000] }).toMatch(/^(succeeded|partial)$/);
    if (!queued.alreadyActive) return;
  }
}

/** An ID token of an admin of the workspace `slug`, from the development IdP, for API calls no demo user may make there. */
export async function adminToken(slug: string): Promise<string> {
  const response = await fetch(`${(await standInsEnv()).NEXIUS_ISSUER}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sub: `e2e-admin-${slug}`, email: `e2e-admin@${slug}.test`, tenant_id: slug, roles: ["admin"] }),
  });
  const body = (await response.json()) as { id_token?: string; error_description?: string };
  if (!body.id_token) throw new Error(`/dev/token answered ${response.status}: ${body.error_description}`);
  return body.id_token;
}

/** A figure of a page's grid of figures (a `<dl>` of label, value and a line under it): its value and, when given, that line. */
export async function expectFigure(grid: Locator, label: string, value: string, hint?: string): Promise<void> {
  const figure = grid.locator("div").filter({ has: grid.page().locator("dt").getByText(label, { exact: true }) });
  await expect(figure.locator("dd").first(), label).toHaveText(value);
  if (hint !== undefined) await expect(figure.locator("dd").nth(1), `${label}: ${hint}`).toHaveText(hint);
}

/** The Singapore calendar day `days` from now, YYYY-MM-DD. */
export function singaporeDay(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
