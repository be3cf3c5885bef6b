-- The warm pool's admin page: when a copy was last started (a failed copy
-- retried keeps its created_at, so only this tells a copy that stopped
-- mid-way from a fresh one), and the operators' actions on the pool, which
-- belong to no workspace and so cannot go to audit_log.
ALTER TABLE "odoo_warm_databases" ADD COLUMN "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "odoo_warm_databases" SET "started_at" = "created_at";

CREATE TABLE "odoo_warm_pool_actions" (
    "id" BIGSERIAL NOT NULL,
    "action" TEXT NOT NULL,
    "db_name" TEXT,
    "actor_sub" TEXT NOT NULL,
    "actor_email" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "odoo_warm_pool_actions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "odoo_warm_pool_actions_action_check" CHECK ("action" IN ('refill', 'discard', 'reclaim'))
);
CREATE INDEX "odoo_warm_pool_actions_created_at_idx" ON "odoo_warm_pool_actions"("created_at");

-- Platform data: only the platform client reads or writes it.
ALTER TABLE "odoo_warm_pool_actions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "odoo_warm_pool_actions" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "odoo_warm_pool_actions" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "odoo_warm_pool_actions" FROM nexius_app;
