-- The analytics hub: per tenant, a read-only Postgres login role a BI tool
-- (Superset, Metabase) connects with. It reads the serving zone through the
-- views of schema `analytics` and nothing else.
--
-- The views are owned by the migrating role (which row-level security lets
-- through as a member of nexius_platform) and keep only the rows of the
-- tenant that `session_user` was created for. session_user is the role that
-- logged in: SET ROLE does not change it and only a superuser may SET SESSION
-- AUTHORIZATION, so an analytics role cannot pass itself off as another, and
-- the app's tenant setting (app.tenant_id) plays no part. security_barrier
-- keeps a caller's functions from seeing rows before the tenant filter.
--
-- Login roles are cluster-wide; the grants below live in this database. Each
-- login role is named after this database (see analytics-hub.server.ts), so
-- databases sharing a cluster never share a role.

CREATE TABLE "analytics_roles" (
    "tenant_id" UUID NOT NULL,
    "role_name" TEXT NOT NULL,
    "bi_dashboard_url" TEXT,
    "enabled_at" TIMESTAMPTZ(3),
    "rotated_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "analytics_roles_pkey" PRIMARY KEY ("tenant_id"),
    CONSTRAINT "analytics_roles_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "analytics_roles_role_name_check" CHECK ("role_name" ~ '^nxa_[0-9a-f]{8}_[0-9a-f]{32}$'),
    CONSTRAINT "analytics_roles_bi_dashboard_url_check" CHECK ("bi_dashboard_url" ~ '^https?://')
);
CREATE UNIQUE INDEX "analytics_roles_role_name_key" ON "analytics_roles"("role_name");
SELECT enable_tenant_rls('analytics_roles');
-- The workspace reads its own row (the tenant admin's connection details); only the control plane changes it.
REVOKE INSERT, UPDATE, DELETE ON "analytics_roles" FROM nexius_app;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nexius_analytics') THEN
    CREATE ROLE nexius_analytics NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

CREATE SCHEMA analytics;
REVOKE ALL ON SCHEMA analytics FROM PUBLIC;
GRANT USAGE ON SCHEMA analytics TO nexius_analytics;

-- The tenant the logged-in analytics role reads; null (no row) for any other role.
CREATE FUNCTION analytics.current_tenant() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
  SELECT tenant_id FROM public.analytics_roles WHERE role_name = session_user::text AND enabled_at IS NOT NULL AND revoked_at IS NULL
$fn$;
REVOKE ALL ON FUNCTION analytics.current_tenant() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION analytics.current_tenant() TO nexius_analytics;

CREATE VIEW analytics.pipeline_summary WITH (security_barrier) AS
  SELECT month, stage, team_id, owner_id, outcome, count, value, weighted_value
  FROM public.lake_pipeline_summary WHERE tenant_id = (SELECT analytics.current_tenant());
CREATE VIEW analytics.pipeline_tag_summary WITH (security_barrier) AS
  SELECT tag, month, stage, team_id, owner_id, outcome, count, value, weighted_value
  FROM public.lake_pipeline_tag_summary WHERE tenant_id = (SELECT analytics.current_tenant());
CREATE VIEW analytics.pipeline_team_summary WITH (security_barrier) AS
  SELECT month, stage, team_id, outcome, count, value, weighted_value
  FROM public.lake_pipeline_team_summary WHERE tenant_id = (SELECT analytics.current_tenant());
CREATE VIEW analytics.pipeline_owner_summary WITH (security_barrier) AS
  SELECT month, owner_id, team_id, outcome, count, value, weighted_value
  FROM public.lake_pipeline_owner_summary WHERE tenant_id = (SELECT analytics.current_tenant());
CREATE VIEW analytics.pipeline_owner_totals WITH (security_barrier) AS
  SELECT owner_id, team_id, outcome, count, value, weighted_value
  FROM public.lake_pipeline_owner_totals WHERE tenant_id = (SELECT analytics.current_tenant());
CREATE VIEW analytics.open_deal_months WITH (security_barrier) AS
  SELECT measure, month, owner_id, team_id, count, value
  FROM public.lake_open_deal_months WHERE tenant_id = (SELECT analytics.current_tenant());
CREATE VIEW analytics.planned_activity_months WITH (security_barrier) AS
  SELECT month, owner_id, count
  FROM public.lake_planned_activity_months WHERE tenant_id = (SELECT analytics.current_tenant());
CREATE VIEW analytics.kpi_daily WITH (security_barrier) AS
  SELECT day, owner_id, team_id, won, lost, won_value, cycle_days_total, activities_done
  FROM public.lake_kpi_daily WHERE tenant_id = (SELECT analytics.current_tenant());

REVOKE ALL ON ALL TABLES IN SCHEMA analytics FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO nexius_analytics;
