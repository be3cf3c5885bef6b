-- The sales-intelligence data lake: what each tenant's CRM sources (Odoo,
-- Microsoft 365) hold, synced in three zones.
--
--   raw        every fetched version of every source record, append-only;
--   canonical  one row per account, contact, opportunity, activity, user and
--              team, whichever sources it came from;
--   serving    aggregates the dashboards read, refreshed after each sync.
--
-- Every table is tenant-owned and under row-level security.

-- Per tenant and source: the connection and the sync schedule.
CREATE TABLE "lake_sources" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "source" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "incremental_every_minutes" INTEGER NOT NULL DEFAULT 60,
    -- Hour of the Singapore day at which the nightly full reconcile starts.
    "full_reconcile_hour" INTEGER NOT NULL DEFAULT 2,
    "freshness_sla_minutes" INTEGER NOT NULL DEFAULT 120,
    -- Microsoft 365 only: the customer's Entra directory and the app registration it consented to.
    "directory_id" TEXT,
    "client_id" TEXT,
    "secret_cipher" BYTEA,
    "secret_key_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'not_connected',
    "status_detail" TEXT,
    "connected_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_full_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_sources_pkey" PRIMARY KEY ("tenant_id", "source"),
    CONSTRAINT "lake_sources_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "lake_sources_source_check" CHECK ("source" IN ('odoo', 'm365')),
    CONSTRAINT "lake_sources_status_check" CHECK ("status" IN ('not_connected', 'connected', 'error')),
    CONSTRAINT "lake_sources_schedule_check" CHECK (
      "incremental_every_minutes" BETWEEN 5 AND 1440 AND "full_reconcile_hour" BETWEEN 0 AND 23 AND "freshness_sla_minutes" BETWEEN 5 AND 10080)
);

-- One row per sync: its counts, timings, errors and the cursors it started from and reached.
CREATE TABLE "lake_sync_runs" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "source" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "entity" TEXT,
    "cursor_before" JSONB NOT NULL DEFAULT '{}',
    "cursor_after" JSONB NOT NULL DEFAULT '{}',
    "fetched" INTEGER NOT NULL DEFAULT 0,
    "raw_inserted" INTEGER NOT NULL DEFAULT 0,
    "inserted" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "deleted" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "missing_fields" TEXT[] NOT NULL DEFAULT '{}',
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "requested_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "lake_sync_runs_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_sync_runs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "lake_sync_runs_source_check" CHECK ("source" IN ('odoo', 'm365')),
    CONSTRAINT "lake_sync_runs_mode_check" CHECK ("mode" IN ('incremental', 'full')),
    CONSTRAINT "lake_sync_runs_trigger_check" CHECK ("trigger" IN ('schedule', 'manual', 'api', 'cli')),
    CONSTRAINT "lake_sync_runs_status_check" CHECK ("status" IN ('queued', 'running', 'succeeded', 'partial', 'failed'))
);
CREATE INDEX "lake_sync_runs_tenant_id_source_created_at_idx" ON "lake_sync_runs"("tenant_id", "source", "created_at");
-- At most one unfinished sync per tenant and source.
CREATE UNIQUE INDEX "lake_sync_runs_one_active_idx" ON "lake_sync_runs"("tenant_id", "source") WHERE "status" IN ('queued', 'running');

-- Records a sync could not take, with the reason; nothing is dropped silently.
CREATE TABLE "lake_sync_rejects" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" BIGSERIAL NOT NULL,
    "sync_run_id" UUID NOT NULL,
    "entity" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_sync_rejects_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_sync_rejects_run_fkey" FOREIGN KEY ("tenant_id", "sync_run_id") REFERENCES "lake_sync_runs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "lake_sync_rejects_tenant_id_sync_run_id_idx" ON "lake_sync_rejects"("tenant_id", "sync_run_id");

-- Where the next incremental sync of each source entity starts.
CREATE TABLE "lake_cursors" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "source" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_cursors_pkey" PRIMARY KEY ("tenant_id", "source", "entity"),
    CONSTRAINT "lake_cursors_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Raw zone: one row per fetched version of a source record. Rows are never
-- updated or deleted by the sync; an unchanged record (same content hash as
-- its latest version) adds no row.
CREATE TABLE "lake_raw_records" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" BIGSERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "version" TEXT,
    "content_hash" BYTEA NOT NULL,
    "removed" BOOLEAN NOT NULL DEFAULT false,
    "payload" JSONB NOT NULL,
    "sync_run_id" UUID NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_raw_records_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_raw_records_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "lake_raw_records_tenant_id_source_entity_source_id_idx" ON "lake_raw_records"("tenant_id", "source", "entity", "source_id", "id");
CREATE INDEX "lake_raw_records_tenant_id_fetched_at_idx" ON "lake_raw_records"("tenant_id", "fetched_at");

-- The latest version of every source record, and the canonical entity it
-- maps to (several source records can map to one entity).
CREATE TABLE "lake_source_records" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "source" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "raw_id" BIGINT NOT NULL,
    "content_hash" BYTEA NOT NULL,
    "canonical_kind" TEXT,
    "canonical_id" UUID,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removed_at" TIMESTAMPTZ(3),
    CONSTRAINT "lake_source_records_pkey" PRIMARY KEY ("tenant_id", "source", "entity", "source_id"),
    CONSTRAINT "lake_source_records_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "lake_source_records_kind_check" CHECK ("canonical_kind" IN ('user', 'team', 'account', 'contact', 'opportunity', 'activity'))
);
CREATE INDEX "lake_source_records_tenant_id_canonical_id_idx" ON "lake_source_records"("tenant_id", "canonical_id");

-- Canonical zone. Each entity keeps a hash of its mapped content, so a sync
-- tells an update from an unchanged record; deleted_at marks an entity whose
-- every source record is gone.
CREATE TABLE "lake_users" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "email" TEXT,
    "login" TEXT,
    "team_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "content_hash" BYTEA NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_users_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "lake_users_tenant_id_email_idx" ON "lake_users"("tenant_id", "email");

CREATE TABLE "lake_teams" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "leader_id" UUID,
    "member_ids" UUID[] NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "content_hash" BYTEA NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_teams_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_teams_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "lake_accounts" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "uen" TEXT,
    "vat" TEXT,
    "domain" TEXT,
    "website" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "country_code" TEXT,
    "tags" TEXT[] NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "content_hash" BYTEA NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_accounts_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_accounts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Entity resolution looks accounts up by UEN, then VAT, then domain.
CREATE INDEX "lake_accounts_tenant_id_uen_idx" ON "lake_accounts"("tenant_id", "uen");
CREATE INDEX "lake_accounts_tenant_id_vat_idx" ON "lake_accounts"("tenant_id", "vat");
CREATE INDEX "lake_accounts_tenant_id_domain_idx" ON "lake_accounts"("tenant_id", "domain");

CREATE TABLE "lake_contacts" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" UUID,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "job_title" TEXT,
    "company_name" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "content_hash" BYTEA NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_contacts_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_contacts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "lake_contacts_tenant_id_email_idx" ON "lake_contacts"("tenant_id", "email");
CREATE INDEX "lake_contacts_tenant_id_account_id_idx" ON "lake_contacts"("tenant_id", "account_id");

CREATE TABLE "lake_opportunities" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "stage_kind" TEXT NOT NULL,
    "stage_name" TEXT,
    "stage_sequence" INTEGER,
    "account_id" UUID,
    "contact_id" UUID,
    "owner_id" UUID,
    "team_id" UUID,
    "expected_revenue" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "probability" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "currency" TEXT,
    "outcome" TEXT NOT NULL,
    "lost_reason" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "deadline" DATE,
    "closed_at" TIMESTAMPTZ(3),
    "tags" TEXT[] NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "content_hash" BYTEA NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_opportunities_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_opportunities_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "lake_opportunities_stage_kind_check" CHECK ("stage_kind" IN ('lead', 'opportunity')),
    CONSTRAINT "lake_opportunities_outcome_check" CHECK ("outcome" IN ('open', 'won', 'lost'))
);
CREATE INDEX "lake_opportunities_tenant_id_account_id_idx" ON "lake_opportunities"("tenant_id", "account_id");
CREATE INDEX "lake_opportunities_tenant_id_owner_id_idx" ON "lake_opportunities"("tenant_id", "owner_id");

CREATE TABLE "lake_activities" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "activity_type" TEXT NOT NULL,
    "summary" TEXT,
    "state" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "owner_id" UUID,
    "about_kind" TEXT,
    "about_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "content_hash" BYTEA NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_activities_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_activities_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "lake_activities_state_check" CHECK ("state" IN ('planned', 'done'))
);
CREATE INDEX "lake_activities_tenant_id_at_idx" ON "lake_activities"("tenant_id", "at");

-- Entity resolution's decisions: which entity was kept when two turned out
-- to be one, and when a merge was undone (split).
CREATE TABLE "lake_merges" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "kept_id" UUID NOT NULL,
    "merged_ref" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "sync_run_id" UUID,
    "split_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lake_merges_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lake_merges_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Serving zone. Pipeline by month opened, stage, team and owner; refreshed
-- for the groups a sync touched (lake_serving_dirty), not from scratch.
CREATE TABLE "lake_pipeline_summary" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "month" DATE NOT NULL,
    "stage" TEXT NOT NULL,
    "team_id" UUID,
    "owner_id" UUID,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,
    "weighted_value" DECIMAL(18,2) NOT NULL,
    CONSTRAINT "lake_pipeline_summary_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "lake_pipeline_summary_group_idx" ON "lake_pipeline_summary"(
  "tenant_id", "month", "stage", COALESCE("team_id", '00000000-0000-0000-0000-000000000000'), COALESCE("owner_id", '00000000-0000-0000-0000-000000000000'), "outcome");

-- Daily KPIs per owner: what closed that day and the activity done.
CREATE TABLE "lake_kpi_daily" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "day" DATE NOT NULL,
    "owner_id" UUID,
    "team_id" UUID,
    "won" INTEGER NOT NULL DEFAULT 0,
    "lost" INTEGER NOT NULL DEFAULT 0,
    "won_value" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "cycle_days_total" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "activities_done" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "lake_kpi_daily_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "lake_kpi_daily_group_idx" ON "lake_kpi_daily"(
  "tenant_id", "day", COALESCE("owner_id", '00000000-0000-0000-0000-000000000000'), COALESCE("team_id", '00000000-0000-0000-0000-000000000000'));

-- Groups whose aggregates a sync changed: the serving refresh recomputes
-- exactly these and clears them.
CREATE TABLE "lake_serving_dirty" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "aggregate" TEXT NOT NULL,
    "day" DATE NOT NULL,
    CONSTRAINT "lake_serving_dirty_pkey" PRIMARY KEY ("tenant_id", "aggregate", "day"),
    CONSTRAINT "lake_serving_dirty_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "lake_serving_dirty_aggregate_check" CHECK ("aggregate" IN ('pipeline', 'kpi'))
);

SELECT enable_tenant_rls('lake_sources');
SELECT enable_tenant_rls('lake_sync_runs');
SELECT enable_tenant_rls('lake_sync_rejects');
SELECT enable_tenant_rls('lake_cursors');
SELECT enable_tenant_rls('lake_raw_records');
SELECT enable_tenant_rls('lake_source_records');
SELECT enable_tenant_rls('lake_users');
SELECT enable_tenant_rls('lake_teams');
SELECT enable_tenant_rls('lake_accounts');
SELECT enable_tenant_rls('lake_contacts');
SELECT enable_tenant_rls('lake_opportunities');
SELECT enable_tenant_rls('lake_activities');
SELECT enable_tenant_rls('lake_merges');
SELECT enable_tenant_rls('lake_pipeline_summary');
SELECT enable_tenant_rls('lake_kpi_daily');
SELECT enable_tenant_rls('lake_serving_dirty');

-- The raw zone is append-only for tenant code.
REVOKE UPDATE, DELETE ON "lake_raw_records" FROM nexius_app;

-- Tenant code may enqueue a sync of its own sources.
CREATE OR REPLACE FUNCTION app_enqueue_job(
  identifier text,
  payload json,
  queue_name text DEFAULT NULL,
  run_at timestamptz DEFAULT NULL,
  max_attempts int DEFAULT NULL,
  job_key text DEFAULT NULL,
  priority int DEFAULT NULL,
  job_key_mode text DEFAULT 'replace'
) RETURNS TABLE (id bigint, key text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  tenant text := NULLIF(current_setting('app.tenant_id', true), '');
BEGIN
  IF tenant IS NULL THEN
    RAISE EXCEPTION 'app_enqueue_job: no tenant in this transaction (app.tenant_id is unset)' USING ERRCODE = '42501';
  END IF;
  IF identifier IS NULL OR identifier NOT IN (
    'enrich_company', 'finalize_run', 'provision_tenant', 'push_run_to_odoo', 'refresh_candidates',
    'score_company', 'start_run', 'sync_lake_source', 'sync_odoo_member', 'verify_run_emails'
  ) THEN
    RAISE EXCEPTION 'app_enqueue_job: task % is not one tenant code may enqueue', identifier USING ERRCODE = '42501';
  END IF;
  IF json_typeof(payload) IS DISTINCT FROM 'object' OR lower(payload->>'tenantId') IS DISTINCT FROM lower(tenant) THEN
    RAISE EXCEPTION 'app_enqueue_job: the job''s tenantId is not this transaction''s tenant' USING ERRCODE = '42501';
  END IF;
  IF job_key IS NOT NULL AND EXISTS (
    SELECT 1 FROM graphile_worker._private_jobs j
    WHERE j.key = app_enqueue_job.job_key AND lower(j.payload->>'tenantId') IS DISTINCT FROM lower(tenant)
  ) THEN
    RAISE EXCEPTION 'app_enqueue_job: job key % belongs to another tenant''s job', job_key USING ERRCODE = '42501';
  END IF;
  IF queue_name IS NOT NULL AND EXISTS (
    SELECT 1 FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
    WHERE q.queue_name = app_enqueue_job.queue_name AND lower(j.payload->>'tenantId') IS DISTINCT FROM lower(tenant)
  ) THEN
    RAISE EXCEPTION 'app_enqueue_job: queue % holds another tenant''s jobs', queue_name USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
    SELECT j.id, j.key FROM graphile_worker.add_job(
      identifier => app_enqueue_job.identifier,
      payload => app_enqueue_job.payload,
      queue_name => app_enqueue_job.queue_name,
      run_at => app_enqueue_job.run_at,
      max_attempts => app_enqueue_job.max_attempts,
      job_key => app_enqueue_job.job_key,
      priority => app_enqueue_job.priority,
      job_key_mode => app_enqueue_job.job_key_mode
    ) j;
END
$fn$;
