-- Foundation: roles, the tenant-isolation helper, and the first tables.
--
-- Two group roles carry all privileges; login roles are made members of them:
--   nexius_app       the web app and worker: row-level security applies.
--   nexius_platform  cross-tenant work (control plane, schedulers): a policy per
--                    table lets it through, so the owner need not be superuser.
-- Tables are owned by the role that runs migrations, never by nexius_app.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nexius_app') THEN
    CREATE ROLE nexius_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nexius_platform') THEN
    CREATE ROLE nexius_platform NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

GRANT nexius_platform TO CURRENT_USER;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO nexius_app, nexius_platform;

ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO nexius_app, nexius_platform;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO nexius_app, nexius_platform;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Puts a tenant-owned table under row-level security. The tenant comes from a
-- transaction-local setting; unset or empty matches no row.
CREATE FUNCTION enable_tenant_rls(tbl regclass, tenant_column text DEFAULT 'tenant_id')
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO nexius_app '
    'USING (%2$I = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid) '
    'WITH CHECK (%2$I = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
    tbl, tenant_column);
  EXECUTE format(
    'CREATE POLICY platform_access ON %s TO nexius_platform USING (true) WITH CHECK (true)', tbl);
END
$fn$;
REVOKE ALL ON FUNCTION enable_tenant_rls(regclass, text) FROM PUBLIC;

CREATE TABLE "tenants" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'provisioning',
    "plan" TEXT NOT NULL DEFAULT 'trial',
    "owner_sub" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tenants_slug_check" CHECK ("slug" ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    CONSTRAINT "tenants_status_check" CHECK ("status" IN ('provisioning', 'active', 'paused', 'error', 'decommissioned'))
);
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");
CREATE UNIQUE INDEX "tenants_owner_sub_key" ON "tenants"("owner_sub");

CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "sub" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3),
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_sub_key" ON "users"("sub");

CREATE TABLE "tenant_users" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "user_id" UUID NOT NULL,
    "roles" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenant_users_pkey" PRIMARY KEY ("tenant_id", "user_id"),
    CONSTRAINT "tenant_users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tenant_users_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "tenant_users_user_id_idx" ON "tenant_users"("user_id");

CREATE TABLE "onboarding_status" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "status" TEXT NOT NULL DEFAULT 'provisioning',
    "phase" TEXT NOT NULL DEFAULT 'starting',
    "error" TEXT,
    "timings" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ready_at" TIMESTAMPTZ(3),
    CONSTRAINT "onboarding_status_pkey" PRIMARY KEY ("tenant_id"),
    CONSTRAINT "onboarding_status_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "onboarding_status_phase_check" CHECK ("phase" IN ('starting', 'creating_odoo', 'configuring_oidc', 'seeding', 'ready', 'error'))
);

CREATE TABLE "odoo_connections" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "base_url" TEXT NOT NULL,
    "db_name" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "company_id" INTEGER,
    "login" TEXT NOT NULL,
    "secret_cipher" BYTEA NOT NULL,
    "secret_key_id" TEXT NOT NULL,
    "last_verified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "odoo_connections_pkey" PRIMARY KEY ("tenant_id"),
    CONSTRAINT "odoo_connections_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "odoo_connections_mode_check" CHECK ("mode" IN ('db_per_tenant', 'company_per_tenant'))
);

CREATE TABLE "icp_rules" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "version" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "author_sub" TEXT,
    "author_email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "icp_rules_pkey" PRIMARY KEY ("tenant_id", "version"),
    CONSTRAINT "icp_rules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "audit_log" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" BIGSERIAL NOT NULL,
    "actor_sub" TEXT,
    "actor_email" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "audit_log_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "audit_log_tenant_id_created_at_idx" ON "audit_log"("tenant_id", "created_at");

CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

SELECT enable_tenant_rls('tenant_users');
SELECT enable_tenant_rls('onboarding_status');
SELECT enable_tenant_rls('odoo_connections');
SELECT enable_tenant_rls('icp_rules');
SELECT enable_tenant_rls('audit_log');
-- A tenant sees its own row only.
SELECT enable_tenant_rls('tenants', 'id');

-- Users are global identities; the app sees those who belong to its tenant.
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_members ON "users" TO nexius_app
  USING ("id" IN (SELECT "user_id" FROM "tenant_users"))
  WITH CHECK (false);
CREATE POLICY platform_access ON "users" TO nexius_platform USING (true) WITH CHECK (true);

-- The audit trail is append-only for the app.
REVOKE UPDATE, DELETE ON "audit_log" FROM nexius_app;
