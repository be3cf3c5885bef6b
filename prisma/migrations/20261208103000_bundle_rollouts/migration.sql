-- Module bundles as the control plane applies them: every version a bundle
-- has had (a rollback re-applies the previous one), the version each tenant
-- is on, and rollouts of a bundle version across tenants in waves (a canary
-- first, then batches), with each tenant's state in the rollout.

CREATE TABLE "module_bundle_versions" (
    "bundle_code" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "modules" TEXT[] NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "module_bundle_versions_pkey" PRIMARY KEY ("bundle_code", "version"),
    CONSTRAINT "module_bundle_versions_bundle_code_fkey" FOREIGN KEY ("bundle_code") REFERENCES "module_bundles"("code") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "module_bundle_versions" ("bundle_code", "version", "modules") SELECT "code", "version", "modules" FROM "module_bundles";

-- The bundle version last applied to the tenant's Odoo (NULL: never applied).
ALTER TABLE "tenants" ADD COLUMN "bundle_version" INTEGER;

CREATE TABLE "bundle_rollouts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "bundle_code" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    -- What a rollback re-applies; NULL for a bundle's first version (nothing to go back to).
    "previous_version" INTEGER,
    "canary_tenant_id" UUID,
    "batch_size" INTEGER NOT NULL,
    -- running | succeeded | stopped | rolling_back | rolled_back | rollback_failed
    "status" TEXT NOT NULL DEFAULT 'running',
    "actor_sub" TEXT,
    "actor_email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "bundle_rollouts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bundle_rollouts_bundle_code_fkey" FOREIGN KEY ("bundle_code") REFERENCES "module_bundles"("code") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "bundle_rollouts_canary_tenant_id_fkey" FOREIGN KEY ("canary_tenant_id") REFERENCES "tenants"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "bundle_rollouts_batch_size_check" CHECK ("batch_size" >= 1),
    CONSTRAINT "bundle_rollouts_status_check" CHECK ("status" IN ('running', 'succeeded', 'stopped', 'rolling_back', 'rolled_back', 'rollback_failed'))
);
CREATE INDEX "bundle_rollouts_bundle_code_created_at_idx" ON "bundle_rollouts"("bundle_code", "created_at");

CREATE TABLE "bundle_rollout_tenants" (
    "rollout_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    -- 0 is the canary.
    "wave" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "operation_id" UUID,
    "rollback_operation_id" UUID,
    "error" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "bundle_rollout_tenants_pkey" PRIMARY KEY ("rollout_id", "tenant_id"),
    CONSTRAINT "bundle_rollout_tenants_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "bundle_rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "bundle_rollout_tenants_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "bundle_rollout_tenants_operation_id_fkey" FOREIGN KEY ("operation_id") REFERENCES "tenant_operations"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "bundle_rollout_tenants_rollback_operation_id_fkey" FOREIGN KEY ("rollback_operation_id") REFERENCES "tenant_operations"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "bundle_rollout_tenants_state_check" CHECK ("state" IN ('pending', 'installed', 'removed', 'failed')),
    CONSTRAINT "bundle_rollout_tenants_wave_check" CHECK ("wave" >= 0)
);
CREATE INDEX "bundle_rollout_tenants_tenant_id_idx" ON "bundle_rollout_tenants"("tenant_id");

-- Platform data: only the platform client reads or writes it.
ALTER TABLE "module_bundle_versions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "module_bundle_versions" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "module_bundle_versions" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "module_bundle_versions" FROM nexius_app;

ALTER TABLE "bundle_rollouts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "bundle_rollouts" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "bundle_rollouts" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "bundle_rollouts" FROM nexius_app;

ALTER TABLE "bundle_rollout_tenants" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "bundle_rollout_tenants" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "bundle_rollout_tenants" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "bundle_rollout_tenants" FROM nexius_app;
