-- The warm pool of db_per_tenant mode: Odoo databases copied ahead of time
-- from a template with the db service's duplicate_database, so a first login
-- takes one instead of waiting minutes for create_database. A refill job
-- reserves a row ('creating') before it asks Odoo for the copy, so two
-- workers never make more than the pool size.
CREATE TABLE "odoo_warm_databases" (
    "db_name" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'creating',
    "tenant_id" UUID,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    -- A failed copy is tried again from this time on (exponential backoff).
    "retry_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ready_at" TIMESTAMPTZ(3),
    "claimed_at" TIMESTAMPTZ(3),
    CONSTRAINT "odoo_warm_databases_pkey" PRIMARY KEY ("db_name"),
    CONSTRAINT "odoo_warm_databases_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "odoo_warm_databases_state_check" CHECK ("state" IN ('creating', 'ready', 'claimed', 'failed'))
);
CREATE INDEX "odoo_warm_databases_state_created_at_idx" ON "odoo_warm_databases"("state", "created_at");
-- A tenant holds at most one warm database (a resumed provisioning finds its own).
CREATE UNIQUE INDEX "odoo_warm_databases_tenant_id_key" ON "odoo_warm_databases"("tenant_id");

-- Platform data: only the platform client reads or writes it.
ALTER TABLE "odoo_warm_databases" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "odoo_warm_databases" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "odoo_warm_databases" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "odoo_warm_databases" FROM nexius_app;
