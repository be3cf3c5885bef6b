-- The tenant lifecycle of the control plane: a tenant created by the wizard
-- (its Odoo mode, size profile and sign-in choice), the wizard's drafts, a
-- decommissioning state with its grace period, and the files the lifecycle
-- keeps (data exports, deletion receipts, Odoo backups).

ALTER TABLE "tenants" DROP CONSTRAINT "tenants_status_check";
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_status_check" CHECK ("status" IN ('provisioning', 'active', 'paused', 'error', 'decommissioning', 'decommissioned'));
-- NULL for tenants made before the wizard: the platform's ODOO_MODE decides for them.
ALTER TABLE "tenants" ADD COLUMN "odoo_mode" TEXT;
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_odoo_mode_check" CHECK ("odoo_mode" IN ('shared_db', 'db_per_tenant'));
ALTER TABLE "tenants" ADD COLUMN "size_profile" TEXT;
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_size_profile_check" CHECK ("size_profile" IN ('small', 'medium', 'large'));
-- platform: the platform's IdP; own: the tenant will bring its own provider (configured on its SSO tab).
ALTER TABLE "tenants" ADD COLUMN "sso_mode" TEXT;
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_sso_mode_check" CHECK ("sso_mode" IN ('platform', 'own'));
-- When a decommissioning tenant's data is deleted for good (its export is downloadable until then).
ALTER TABLE "tenants" ADD COLUMN "purge_after" TIMESTAMPTZ(3);

-- The create-tenant wizard's answers so far, one draft per platform owner, so
-- the wizard survives a reload or a second tab; deleted when the tenant is created.
CREATE TABLE "tenant_drafts" (
    "owner_sub" TEXT NOT NULL,
    "step" TEXT NOT NULL DEFAULT 'identity',
    "answers" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenant_drafts_pkey" PRIMARY KEY ("owner_sub")
);
ALTER TABLE "tenant_drafts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_drafts" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "tenant_drafts" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "tenant_drafts" FROM nexius_app;

-- Files of the lifecycle, in the database so every web and worker process
-- serves them without a shared disk: a decommission's export and receipt
-- (kept after the tenant's rows are purged) and the Odoo backups.
CREATE TABLE "tenant_files" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    -- export | receipt | backup
    "kind" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "operation_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenant_files_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tenant_files_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tenant_files_kind_check" CHECK ("kind" IN ('export', 'receipt', 'backup'))
);
CREATE INDEX "tenant_files_tenant_id_kind_created_at_idx" ON "tenant_files"("tenant_id", "kind", "created_at");
-- One file of a kind per operation, so a re-run step finds what it stored before.
CREATE UNIQUE INDEX "tenant_files_operation_id_kind_key" ON "tenant_files"("operation_id", "kind");
ALTER TABLE "tenant_files" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_files" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "tenant_files" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "tenant_files" FROM nexius_app;
