import { queryE2eDatabase } from "./database";
import { expect, type Page } from "./test";

/**
 * What the CRM dashboard journeys share: a demo workspace's lake synced from
 * the Odoo simulator (through the Data page's button when no sync has
 * succeeded yet), and the simulator's own records over Odoo's JSON-RPC, from
 * which a journey works out the figures it expects.
 */
const ODOO_URL = `http://localhost:${process.env.E2E_ODOO_PORT ?? 8079}`;
// The platform's stand-in Odoo: one database, administered as the platform's set-up does.
const ODOO = { db: "odoo", login: "admin", password: "admin" };

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

async function jsonRpc<T>(service: string, method: string, args: unknown[]): Promise<T> {
  const response = await fetch(`${ODOO_URL}/jsonrpc`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params: { service, method, args } }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`Odoo ${service}.${method}: ${body.error.message}`);
  return body.result as T;
}

/** A model method of the simulator's Odoo, called as its administrator. */
export async function odooCall<T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> {
  const uid = await jsonRpc<number>("common", "login", [ODOO.db, ODOO.login, ODOO.password]);
  return jsonRpc<T>("object", "execute_kw", [ODOO.db, uid, ODOO.password, model, method, args, kwargs]);
}

/** The Odoo company of a demo workspace (named as the workspace). */
export async function odooCompanyId(name: string): Promise<number> {
  const ids = await odooCall<number[]>("res.company", "search", [[["name", "ilike", name]]]);
  expect(ids, `Odoo has one company called ${name}`).toHaveLength(1);
  return ids[0]!;
}

/** The Singapore calendar day `days` from now, YYYY-MM-DD. */
export function singaporeDay(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
