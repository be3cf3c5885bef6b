import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Guards future tables: any table with a tenant_id column must be under
 * forced row-level security with a policy, and the role the app logs in as
 * must not be able to sidestep it.
 */
const owner = new pg.Client({ connectionString: process.env.DATABASE_URL });
const appLogin = decodeURIComponent(new URL(process.env.APP_DATABASE_URL!).username);
beforeAll(() => owner.connect());
afterAll(() => owner.end());

/** `tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid)`: a scalar subquery, so the setting is read once, not per row. */
const TENANT_ONCE = /^\(\w+ = \( SELECT \(NULLIF\(current_setting\('app\.tenant_id'::text, true\), ''::text\)\)::uuid AS "nullif"\)\)$/;

describe("row-level security catalog", () => {
  it("finds tenant tables to check", async () => {
    const { rows } = await owner.query(
      "SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'",
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
  });

  it("has RLS enabled and forced, with a policy, on every table that has a tenant_id column", async () => {
    const { rows } = await owner.query<{ relname: string; enabled: boolean; forced: boolean; policies: number; using_and_check: number }>(`
      SELECT c.relname, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid
                AND p.polqual IS NOT NULL AND (p.polwithcheck IS NOT NULL OR p.polcmd IN ('r', 'd'))) AS using_and_check
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`);
    for (const row of rows) {
      expect(row, row.relname).toMatchObject({ enabled: true, forced: true });
      expect(row.policies, `${row.relname} policies`).toBeGreaterThan(0);
      expect(row.using_and_check, `${row.relname} policies with USING and WITH CHECK`).toBe(row.policies);
    }
  });

  it("gives the tenant policy a USING and WITH CHECK on the transaction-local tenant setting, read once per statement", async () => {
    const { rows } = await owner.query<{ table: string; qual: string; check: string }>(`
      SELECT c.relname AS table, pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS check
      FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
      WHERE p.polname = 'tenant_isolation'`);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) {
      expect(row.qual, row.table).toMatch(TENANT_ONCE);
      expect(row.check, row.table).toMatch(TENANT_ONCE);
    }
  });

  it("narrows the lake's owned tables to the sales hierarchy with a restrictive policy on the transaction-local owner setting", async () => {
    const { rows } = await owner.query<{ table: string; permissive: boolean; roles: string[]; qual: string; check: string }>(`
      SELECT c.relname AS table, p.polpermissive AS permissive, ARRAY(SELECT rolname FROM pg_roles WHERE oid = ANY(p.polroles))::text[] AS roles,
             pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS check
      FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
      WHERE p.polname = 'lake_hierarchy' ORDER BY 1`);
    expect(rows.map((r) => r.table)).toEqual([
      "lake_activities",
      "lake_kpi_daily",
      "lake_open_deal_months",
      "lake_opportunities",
      "lake_pipeline_owner_summary",
      "lake_pipeline_owner_totals",
      "lake_pipeline_summary",
      "lake_pipeline_tag_summary",
      "lake_pipeline_team_summary",
      "lake_planned_activity_months",
    ]);
    for (const row of rows) {
      expect(row, row.table).toMatchObject({ permissive: false, roles: ["nexius_app"] });
      // A table without owners is for callers who see the whole tenant only.
      expect(row.qual, row.table).toBe(
        row.table === "lake_pipeline_team_summary"
          ? "( SELECT lake_scope_is_tenant() AS lake_scope_is_tenant)"
          : "(( SELECT lake_scope_is_tenant() AS lake_scope_is_tenant) OR (owner_id = ANY (( SELECT lake_scope_owner_ids() AS lake_scope_owner_ids)::uuid[])))",
      );
      expect(row.check, row.table).toBe(row.qual);
    }
    const { rows: setting } = await owner.query<{ body: string }>(
      "SELECT string_agg(prosrc, ' ') AS body FROM pg_proc WHERE proname IN ('lake_scope_is_tenant', 'lake_scope_owner_ids')",
    );
    expect(setting[0]!.body).toMatch(/current_setting\('app\.lake_owner_ids', true\)/);
  });

  it("keeps the platform's own alert channels and webhooks (tenant_id NULL) out of every tenant's reach", async () => {
    const platformTables = ["alert_channels", "webhook_endpoints", "webhook_deliveries", "webhook_delivery_attempts"];
    const { rows: nullable } = await owner.query<{ table_name: string }>(
      `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
       WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND c.is_nullable = 'YES' AND t.table_type = 'BASE TABLE' ORDER BY 1`,
    );
    // Besides these, only the sessions of platform staff and the warm pool's unclaimed Odoo databases (no app rights) belong to no workspace.
    expect(nullable.map((r) => r.table_name)).toEqual([...platformTables, "odoo_warm_databases", "sessions"].sort());
    const { rows: poolRights } = await owner.query("SELECT has_table_privilege('nexius_app', 'odoo_warm_databases', 'SELECT') AS can");
    expect(poolRights[0].can).toBe(false);
    const { rows: tenants } = await owner.query<{ id: string }>("INSERT INTO tenants (slug, name) VALUES ('rls-platform-rows', 'RLS') RETURNING id");
    await owner.query("INSERT INTO alert_channels (tenant_id, name, kind, email_to) VALUES (NULL, 'platform', 'email', ARRAY['ops@nexius.test'])");
    const app = new pg.Client({ connectionString: process.env.APP_DATABASE_URL });
    await app.connect();
    try {
      await app.query("BEGIN");
      await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenants[0]!.id]);
      expect((await app.query("SELECT count(*)::int AS n FROM alert_channels")).rows[0].n).toBe(0);
      await expect(
        app.query("INSERT INTO alert_channels (tenant_id, name, kind, email_to) VALUES (NULL, 'sneaky', 'email', ARRAY['x@y.test'])"),
      ).rejects.toThrow(/row-level security/);
      await app.query("ROLLBACK");
      // Deliveries and their log are the worker's to write.
      for (const table of ["webhook_deliveries", "webhook_delivery_attempts", "alert_notifications"]) {
        const { rows } = await owner.query("SELECT has_table_privilege('nexius_app', $1, 'INSERT') AS can", [table]);
        expect(rows[0].can, table).toBe(false);
      }
    } finally {
      await app.end();
      await owner.query("DELETE FROM alert_channels WHERE tenant_id IS NULL");
      await owner.query("DELETE FROM tenants WHERE id = $1", [tenants[0]!.id]);
    }
  });

  it("logs the app in as a role that is not superuser, has no BYPASSRLS and owns no table", async () => {
    const { rows } = await owner.query<{ rolsuper: boolean; rolbypassrls: boolean }>("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", [
      appLogin,
    ]);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    const owned = await owner.query(
      `SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
       WHERE r.rolname IN ($1, 'nexius_app') AND c.relkind IN ('r', 'p', 'v', 'm')`,
      [appLogin],
    );
    expect(owned.rows).toEqual([]);
    const inherited = await owner.query(
      `SELECT r.rolname FROM pg_roles r
       WHERE pg_has_role($1, r.oid, 'MEMBER') AND (r.rolsuper OR r.rolbypassrls)`,
      [appLogin],
    );
    expect(inherited.rows).toEqual([]);
  });

  it("does not let the app role into the platform's cross-tenant policies", async () => {
    const { rows } = await owner.query("SELECT pg_has_role($1, 'nexius_platform', 'MEMBER') AS member", [appLogin]);
    expect(rows[0].member).toBe(false);
  });
});
