-- Retention: how long each class of data is kept (platform defaults in
-- app/retention/retention-windows.ts, a workspace's overrides here) and what
-- each daily sweep removed. Scores, rationales and hashes stay for audit;
-- the text behind them goes.

-- A workspace's own window for one data class; no row = the platform default.
CREATE TABLE "retention_overrides" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "data_class" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "updated_by_email" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "retention_overrides_pkey" PRIMARY KEY ("tenant_id", "data_class"),
    CONSTRAINT "retention_overrides_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "retention_overrides_data_class_check" CHECK ("data_class" IN ('crawl_text', 'step_logs', 'vendor_payloads', 'chat_threads', 'lake_raw')),
    CONSTRAINT "retention_overrides_days_check" CHECK ("days" BETWEEN 7 AND 3650)
);

-- One sweep of one data class of one workspace: everything older than cutoff went.
CREATE TABLE "retention_sweeps" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "data_class" TEXT NOT NULL,
    "cutoff" TIMESTAMPTZ(3) NOT NULL,
    -- Rows removed, and rows kept with their text cleared (their hashes and scores stay).
    "rows_deleted" INTEGER NOT NULL DEFAULT 0,
    "rows_cleared" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    -- NULL while the sweep runs (or after it died; the next day's sweep picks up the rest).
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "retention_sweeps_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "retention_sweeps_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "retention_sweeps_tenant_id_data_class_started_at_idx" ON "retention_sweeps"("tenant_id", "data_class", "started_at");

SELECT enable_tenant_rls('retention_overrides');
SELECT enable_tenant_rls('retention_sweeps');
-- The sweep (platform client) writes the record; tenant code only reads it.
REVOKE INSERT, UPDATE, DELETE ON "retention_sweeps" FROM nexius_app;

-- The sweep takes each class's oldest rows in batches by these columns.
CREATE INDEX "run_event_logs_tenant_id_created_at_idx" ON "run_event_logs"("tenant_id", "created_at");
CREATE INDEX "chat_threads_tenant_id_updated_at_idx" ON "chat_threads"("tenant_id", "updated_at");
CREATE INDEX "lead_features_tenant_id_updated_at_idx" ON "lead_features"("tenant_id", "updated_at");
-- A raw version goes only when no source record points at it (it is not the current one).
CREATE INDEX "lake_source_records_tenant_id_raw_id_idx" ON "lake_source_records"("tenant_id", "raw_id");
