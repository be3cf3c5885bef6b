-- The control plane's lifecycle operations (pause, resume, rebuild, …): one
-- row per operation a platform owner or operator asked for, run by a job
-- step by step. The steps already done are kept, so a retried job or a re-run
-- resumes at the step that failed instead of starting over.

-- Where a tenant runs and which agency group it belongs to, for the tenants
-- list's filters (a tenant made before these existed has neither).
ALTER TABLE "tenants" ADD COLUMN "region" TEXT;
ALTER TABLE "tenants" ADD COLUMN "agency_group" TEXT;
CREATE INDEX "tenants_status_created_at_idx" ON "tenants"("status", "created_at");

CREATE TABLE "tenant_operations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "payload" JSONB NOT NULL DEFAULT '{}',
    -- The steps finished so far, in order (a re-run skips them).
    "steps_done" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    -- [{ at, level, step, message }], appended as the operation runs.
    "logs" JSONB NOT NULL DEFAULT '[]',
    "trigger_source" TEXT NOT NULL,
    "actor_sub" TEXT,
    "actor_email" TEXT,
    "failed_step" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "tenant_operations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tenant_operations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tenant_operations_type_check" CHECK ("type" IN ('pause', 'resume', 'rebuild')),
    CONSTRAINT "tenant_operations_status_check" CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed')),
    CONSTRAINT "tenant_operations_trigger_source_check" CHECK ("trigger_source" IN ('ui', 'api', 'schedule'))
);
CREATE INDEX "tenant_operations_tenant_id_created_at_idx" ON "tenant_operations"("tenant_id", "created_at");
CREATE INDEX "tenant_operations_created_at_idx" ON "tenant_operations"("created_at");
-- One lifecycle operation of a tenant at a time: a second one waits until the first has finished.
CREATE UNIQUE INDEX "tenant_operations_one_active_key" ON "tenant_operations"("tenant_id") WHERE "status" IN ('queued', 'running');

-- Platform data, not the tenant's: only the platform client reads or writes
-- it. Forced row-level security with the platform's policy alone, and no
-- rights for the application role, so tenant code cannot see or fake an
-- operation even for its own tenant.
ALTER TABLE "tenant_operations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_operations" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "tenant_operations" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "tenant_operations" FROM nexius_app;
