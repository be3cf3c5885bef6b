import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { memberCookie } from "../support/workspace-users";

/**
 * The analytics hub's login roles, connected to for real: a tenant's role
 * reads its own serving-zone rows from every analytics view and nothing
 * else — no public table, no write, no way around through the app's tenant
 * setting or SET ROLE — and cannot log in once revoked or its tenant purged.
 */
const owner = new pg.Client({ connectionString: process.env.DATABASE_URL });
const tenantA = randomUUID();
const tenantB = randomUUID();
const actor = { sub: "analytics-test", email: "owner@example.test" };
const opened: pg.Client[] = [];

/** Rows per tenant in every serving table: A has one, B two, so a leak shows in the counts. */
const ROWS = { [tenantA]: 1, [tenantB]: 2 };

async function seedServing(tenantId: string, n: number) {
  for (let i = 0; i < n; i++) {
    const month = `2026-0${i + 1}-01`;
    await owner.query(
      `INSERT INTO lake_pipeline_summary (tenant_id, month, stage, outcome, count, value, weighted_value) VALUES ($1, $2, 'Won', 'won', 1, 10, 10)`,
      [tenantId, month],
    );
    await owner.query(
      `INSERT INTO lake_pipeline_tag_summary (tenant_id, tag, month, stage, outcome, count, value, weighted_value) VALUES ($1, 'vip', $2, 'Won', 'won', 1, 10, 10)`,
      [tenantId, month],
    );
    await owner.query(
      `INSERT INTO lake_pipeline_team_summary (tenant_id, month, stage, outcome, count, value, weighted_value) VALUES ($1, $2, 'Won', 'won', 1, 10, 10)`,
      [tenantId, month],
    );
    await owner.query(`INSERT INTO lake_pipeline_owner_summary (tenant_id, month, outcome, count, value, weighted_value) VALUES ($1, $2, 'won', 1, 10, 10)`, [
      tenantId,
      month,
    ]);
    await owner.query(`INSERT INTO lake_pipeline_owner_totals (tenant_id, owner_id, outcome, count, value, weighted_value) VALUES ($1, $2, 'won', 1, 10, 10)`, [
      tenantId,
      randomUUID(),
    ]);
    await owner.query(`INSERT INTO lake_open_deal_months (tenant_id, measure, month, count, value) VALUES ($1, 'deadline', $2, 1, 10)`, [tenantId, month]);
    await owner.query(`INSERT INTO lake_planned_activity_months (tenant_id, month, count) VALUES ($1, $2, 1)`, [tenantId, month]);
    await owner.query(`INSERT INTO lake_kpi_daily (tenant_id, day, won) VALUES ($1, $2, 1)`, [tenantId, month]);
  }
}

async function connectAs(user: string, password: string): Promise<pg.Client> {
  const url = new URL(process.env.DATABASE_URL!);
  url.username = user;
  url.password = password;
  const client = new pg.Client({ connectionString: url.toString() });
  // A dropped session (revoke closes it) must not crash the test process.
  client.on("error", () => undefined);
  await client.connect();
  opened.push(client);
  return client;
}

/** The error message of `sql`, or null when it ran. */
async function failure(client: pg.Client, sql: string, params: unknown[] = []): Promise<string | null> {
  try {
    await client.query(sql, params);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

let views: string[];
let server: typeof import("~/tenants/analytics-hub.server");
const passwords: Record<string, { password: string; roleName: string }> = {};

beforeAll(async () => {
  await owner.connect();
  for (const [id, slug] of [
    [tenantA, "hub-a"],
    [tenantB, "hub-b"],
  ] as const) {
    await owner.query(`INSERT INTO tenants (id, slug, name, status) VALUES ($1, $2, $2, 'active')`, [id, slug]);
    await seedServing(id, ROWS[id]!);
  }
  views = (await owner.query<{ table_name: string }>(`SELECT table_name FROM information_schema.views WHERE table_schema = 'analytics' ORDER BY 1`)).rows.map(
    (r) => r.table_name,
  );
  server = await import("~/tenants/analytics-hub.server");
  passwords[tenantA] = await server.setAnalyticsPassword(tenantA, actor);
  passwords[tenantB] = await server.setAnalyticsPassword(tenantB, actor);
});

afterAll(async () => {
  for (const client of opened) await client.end().catch(() => undefined);
  // Roles outlive this file's database: drop what is left.
  for (const { roleName } of Object.values(passwords)) await owner.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(roleName)}`);
  await owner.end();
});

describe("a tenant's analytics role", () => {
  it("covers every serving table with a view", () => {
    expect(views).toEqual([
      "kpi_daily",
      "open_deal_months",
      "pipeline_owner_summary",
      "pipeline_owner_totals",
      "pipeline_summary",
      "pipeline_tag_summary",
      "pipeline_team_summary",
      "planned_activity_months",
    ]);
  });

  it("is named after this database and the tenant, so parallel databases never share one", async () => {
    const { rows } = await owner.query<{ db: string }>("SELECT current_database() AS db");
    const dbHash = createHash("md5").update(rows[0]!.db).digest("hex").slice(0, 8);
    expect(passwords[tenantA]!.roleName).toBe(`nxa_${dbHash}_${tenantA.replaceAll("-", "")}`);
    expect(passwords[tenantB]!.roleName).not.toBe(passwords[tenantA]!.roleName);
    const attributes = await owner.query(
      `SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = $1`,
      [passwords[tenantA]!.roleName],
    );
    expect(attributes.rows).toEqual([
      { rolcanlogin: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolreplication: false },
    ]);
  });

  it("reads only its own tenant's rows from every view", async () => {
    for (const tenant of [tenantA, tenantB]) {
      const client = await connectAs(passwords[tenant]!.roleName, passwords[tenant]!.password);
      for (const view of views) {
        const { rows } = await client.query(`SELECT * FROM ${view}`);
        expect(rows, `${view} as ${tenant === tenantA ? "A" : "B"}`).toHaveLength(ROWS[tenant]!);
      }
    }
  });

  it("reads no table of schema public", async () => {
    const client = await connectAs(passwords[tenantA]!.roleName, passwords[tenantA]!.password);
    const { rows } = await owner.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(rows.length).toBeGreaterThan(50);
    for (const { tablename } of rows) {
      expect(await failure(client, `SELECT 1 FROM public.${pg.escapeIdentifier(tablename)} LIMIT 1`), tablename).toMatch(/permission denied/);
    }
  });

  it("cannot write or create anything", async () => {
    const client = await connectAs(passwords[tenantA]!.roleName, passwords[tenantA]!.password);
    expect(await failure(client, `INSERT INTO analytics.kpi_daily (day, won) VALUES ('2026-05-01', 1)`)).toMatch(/permission denied|cannot insert/);
    expect(await failure(client, `UPDATE analytics.pipeline_summary SET count = 0`)).toMatch(/permission denied|cannot update/);
    expect(await failure(client, `DELETE FROM analytics.open_deal_months`)).toMatch(/permission denied|cannot delete/);
    expect(await failure(client, `CREATE TABLE analytics.mine (x int)`)).toMatch(/permission denied/);
    expect(await failure(client, `CREATE TABLE public.mine (x int)`)).toMatch(/permission denied/);
    expect(await failure(client, `CREATE TEMP TABLE t AS SELECT 1`)).toBeNull();
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM lake_kpi_daily WHERE tenant_id = $1`, [tenantA]);
    expect(rows[0].n).toBe(ROWS[tenantA]);
  });

  it("cannot set its way to another tenant", async () => {
    const client = await connectAs(passwords[tenantA]!.roleName, passwords[tenantA]!.password);
    await client.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantB]);
    expect((await client.query(`SELECT * FROM pipeline_summary`)).rows).toHaveLength(ROWS[tenantA]!);
    expect(await failure(client, `SET ROLE ${pg.escapeIdentifier(passwords[tenantB]!.roleName)}`)).toMatch(/permission denied/);
    expect(await failure(client, `SET ROLE nexius_platform`)).toMatch(/permission denied/);
    expect(await failure(client, `SET SESSION AUTHORIZATION ${pg.escapeIdentifier(passwords[tenantB]!.roleName)}`)).toMatch(/permission denied/);
    expect((await client.query(`SELECT * FROM kpi_daily`)).rows).toHaveLength(ROWS[tenantA]!);
  });

  it("takes a new password and refuses the old one", async () => {
    const before = passwords[tenantA]!;
    const after = await server.setAnalyticsPassword(tenantA, actor);
    expect(after.roleName).toBe(before.roleName);
    expect(after.password).not.toBe(before.password);
    await expect(connectAs(before.roleName, before.password)).rejects.toThrow(/password authentication failed/);
    const client = await connectAs(after.roleName, after.password);
    expect((await client.query(`SELECT * FROM pipeline_summary`)).rows).toHaveLength(ROWS[tenantA]!);
    passwords[tenantA] = after;
    const { platformDb } = await import("~/db.server");
    expect(
      await platformDb.auditLog.findMany({
        where: { tenantId: tenantA, action: { startsWith: "analytics." } },
        select: { action: true },
        orderBy: { createdAt: "asc" },
      }),
    ).toEqual([{ action: "analytics.role_enabled" }, { action: "analytics.password_rotated" }]);
  });

  it("cannot log in once revoked, and its open session is closed", async () => {
    const { roleName, password } = passwords[tenantB]!;
    const open = await connectAs(roleName, password);
    expect(await server.revokeAnalyticsRole(tenantB, actor)).toBe(true);
    await expect(open.query("SELECT 1")).rejects.toThrow();
    await expect(connectAs(roleName, password)).rejects.toThrow(/password authentication failed|does not exist/);
    expect((await owner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [roleName])).rows).toEqual([]);
    expect(await server.analyticsAccess(tenantB)).toMatchObject({ enabled: false, connection: null });
    expect(await server.revokeAnalyticsRole(tenantB, actor)).toBe(false);
  });

  it("is dropped when its tenant's rows are purged on decommission", async () => {
    const { purgeTenantRows } = await import("~/tenants/decommission.server");
    const { platformDb } = await import("~/db.server");
    const operation = await platformDb.tenantOperation.create({ data: { tenantId: tenantA, type: "decommission", status: "running", triggerSource: "ui" } });
    await purgeTenantRows({ operationId: operation.id, tenantId: tenantA, actor });
    expect((await owner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [passwords[tenantA]!.roleName])).rows).toEqual([]);
    await expect(connectAs(passwords[tenantA]!.roleName, passwords[tenantA]!.password)).rejects.toThrow(/password authentication failed|does not exist/);
  });
});

describe("the Analytics pages", () => {
  it("stores an http(s) dashboard address and refuses anything else with a reason", async () => {
    const route = await import("~/routes/admin+/tenants.$id_.analytics");
    const { cookie } = await memberCookie("hub-owner", ["platform_owner"], null);
    const post = (biDashboardUrl: string) =>
      invoke(route.action, appRequest(`/admin/tenants/${tenantB}/analytics`, { cookie, form: { intent: "dashboard", biDashboardUrl } }), { id: tenantB });
    expect(await (await post("javascript:alert(1)")).json()).toMatchObject({ ok: false, fieldError: "Use an http:// or https:// address" });
    expect(await (await post("https://bi.example.test/superset/dashboard/7/")).json()).toMatchObject({ ok: true });
    expect((await server.analyticsAccess(tenantB)).biDashboardUrl).toBe("https://bi.example.test/superset/dashboard/7/");
  });

  it("shows the tenant's admin their own connection, never another tenant's", async () => {
    const route = await import("~/routes/app+/settings_.analytics");
    const again = await server.setAnalyticsPassword(tenantB, actor);
    passwords[tenantB] = again;
    const { cookie } = await memberCookie("hub-b-admin", ["admin"], tenantB);
    const body = await (await invoke(route.loader, appRequest("/app/settings/analytics", { cookie }))).json();
    expect(body.access.connection.user).toBe(again.roleName);
    expect(body.access.biDashboardUrl).toBe("https://bi.example.test/superset/dashboard/7/");
    expect(JSON.stringify(body)).not.toContain(again.password);
    const api = await import("~/routes/api+/tenants.$id");
    const staff = await memberCookie("hub-operator", ["platform_operator"], null);
    const detail = await (await invoke(api.loader, appRequest(`/api/tenants/${tenantB}`, { cookie: staff.cookie }), { id: tenantB })).json();
    expect(detail.analytics).toMatchObject({
      enabled: true,
      user: again.roleName,
      schema: "analytics",
      bi_dashboard_url: "https://bi.example.test/superset/dashboard/7/",
    });
    const viewer = await memberCookie("hub-b-viewer", ["viewer"], tenantB);
    expect((await invoke(route.loader, appRequest("/app/settings/analytics", { cookie: viewer.cookie }))).status).toBe(403);
  });
});
