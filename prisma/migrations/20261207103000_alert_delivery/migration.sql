-- Alert delivery: where alerts go (email and signed webhooks, per workspace
-- and platform-wide), what was sent to each channel (de-duplication by alert
-- key, the daily digest), who acknowledged and resolved an alert, and the
-- signed webhooks' endpoints, deliveries and attempts (a module of its own,
-- also used for events other than alerts).
--
-- A row with tenant_id NULL belongs to the platform (platform-wide channels
-- and endpoints): the tenant policy matches no NULL, so tenant code neither
-- sees nor writes them; only the platform client does.

-- An alert's de-duplication key (its kind, narrowed by what it concerns, e.g. the vendor),
-- and the operator's acknowledgement and resolution.
ALTER TABLE "alerts"
    ADD COLUMN "alert_key" TEXT,
    ADD COLUMN "acknowledged_at" TIMESTAMPTZ(3),
    ADD COLUMN "acknowledged_by" TEXT,
    ADD COLUMN "resolved_by" TEXT;
UPDATE "alerts" SET "alert_key" = "kind";
ALTER TABLE "alerts" ALTER COLUMN "alert_key" SET NOT NULL;
-- The platform's alerts page lists every workspace's alerts, newest first.
CREATE INDEX "alerts_created_at_idx" ON "alerts"("created_at");

-- A signed-webhook receiver: a URL and its signing secret (sealed with SECRET_KEYS,
-- context "webhook:<id>"), subscribed to event types ('*' = all).
CREATE TABLE "webhook_endpoints" (
    "tenant_id" UUID DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "event_types" TEXT[] NOT NULL DEFAULT ARRAY['*']::TEXT[],
    "secret_cipher" BYTEA NOT NULL,
    "secret_key_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_endpoints_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "webhook_endpoints_tenant_id_idx" ON "webhook_endpoints"("tenant_id");

-- One event for one endpoint; its body is fixed at emission, so a replay sends the same event.
CREATE TABLE "webhook_deliveries" (
    "tenant_id" UUID DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "endpoint_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    -- Set on a replay: the delivery it repeats.
    "replay_of" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "webhook_deliveries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" IN ('pending', 'succeeded', 'failed'))
);
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at");

-- The delivery log: one row per HTTP attempt.
CREATE TABLE "webhook_delivery_attempts" (
    "tenant_id" UUID DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status_code" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_delivery_attempts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "webhook_delivery_attempts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "webhook_delivery_attempts_delivery_id_attempt_idx" ON "webhook_delivery_attempts"("delivery_id", "attempt");

-- Where alerts go: email recipients or a webhook endpoint, at or above a severity,
-- each alert at once (de-duplicated by key within dedup_minutes) or in one daily digest email.
CREATE TABLE "alert_channels" (
    "tenant_id" UUID DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "email_to" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "webhook_endpoint_id" UUID,
    "min_severity" TEXT NOT NULL DEFAULT 'warning',
    "dedup_minutes" INTEGER NOT NULL DEFAULT 60,
    "daily_digest" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by_email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_channels_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alert_channels_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alert_channels_webhook_endpoint_id_fkey" FOREIGN KEY ("webhook_endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alert_channels_kind_check" CHECK (
        ("kind" = 'email' AND cardinality("email_to") > 0 AND "webhook_endpoint_id" IS NULL)
        OR ("kind" = 'webhook' AND "webhook_endpoint_id" IS NOT NULL AND NOT "daily_digest")),
    CONSTRAINT "alert_channels_min_severity_check" CHECK ("min_severity" IN ('info', 'warning', 'critical')),
    CONSTRAINT "alert_channels_dedup_minutes_check" CHECK ("dedup_minutes" BETWEEN 0 AND 10080)
);
CREATE INDEX "alert_channels_tenant_id_idx" ON "alert_channels"("tenant_id");

-- What each channel got of each alert: sent, held back as a duplicate of the same key, or waiting for the digest.
CREATE TABLE "alert_notifications" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "alert_id" UUID NOT NULL,
    "channel_id" UUID NOT NULL,
    "alert_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    CONSTRAINT "alert_notifications_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "alert_notifications_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alert_notifications_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "alert_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alert_notifications_alert_fkey" FOREIGN KEY ("tenant_id", "alert_id") REFERENCES "alerts"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alert_notifications_status_check" CHECK ("status" IN ('sent', 'duplicate', 'digest_pending', 'digested'))
);
CREATE UNIQUE INDEX "alert_notifications_channel_id_alert_id_key" ON "alert_notifications"("channel_id", "alert_id");
CREATE INDEX "alert_notifications_channel_id_alert_key_sent_at_idx" ON "alert_notifications"("channel_id", "alert_key", "sent_at");

SELECT enable_tenant_rls('webhook_endpoints');
SELECT enable_tenant_rls('webhook_deliveries');
SELECT enable_tenant_rls('webhook_delivery_attempts');
SELECT enable_tenant_rls('alert_channels');
SELECT enable_tenant_rls('alert_notifications');
-- Deliveries, their log and what channels were sent are written by the worker (platform client); tenant code reads them.
REVOKE INSERT, UPDATE, DELETE ON "webhook_deliveries", "webhook_delivery_attempts", "alert_notifications" FROM nexius_app;

-- Tenant code may also enqueue the delivery of an alert it raised (in the raising transaction),
-- a workspace's erasures and the push of its suppressed addresses to Odoo.
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
    'deliver_alert', 'enrich_company', 'erase_data_subject', 'finalize_run', 'provision_tenant', 'push_run_to_odoo',
    'push_suppressions_to_odoo', 'refresh_candidates', 'score_company', 'start_run', 'sync_lake_source', 'sync_odoo_member',
    'verify_run_emails'
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
