-- Data-subject erasures: one row per deletion request of a workspace, the
-- person's identifiers as the search found them, which steps of the job are
-- done (so a retried job resumes after the last one) and what each step
-- erased. The receipt goes into the audit log when the last step is done.
CREATE TABLE "erasure_requests" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "query" TEXT NOT NULL,
    -- { emails, names, linkedinUrls, contactIds, lakeContactIds, partnerIds }
    "identifiers" JSONB NOT NULL,
    -- rows per kind of record at the time of the request
    "found" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "steps_done" TEXT[] NOT NULL DEFAULT '{}',
    -- rows deleted or anonymised per kind of record, filled step by step
    "erased" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "requested_by_sub" TEXT NOT NULL,
    "requested_by_email" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "erasure_requests_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "erasure_requests_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "erasure_requests_status_check" CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed'))
);
CREATE INDEX "erasure_requests_tenant_id_requested_at_idx" ON "erasure_requests"("tenant_id", "requested_at");

SELECT enable_tenant_rls('erasure_requests');

-- Tenant code may enqueue a workspace's erasures and the push of its suppressed addresses to Odoo.
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
    'erase_data_subject', 'push_suppressions_to_odoo', 'score_company', 'start_run', 'sync_lake_source', 'sync_odoo_member',
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

-- A person's LinkedIn profile can be suppressed too (an erased contact's is): the
-- contact vendors find people by it, so a run never collects that person again.
ALTER TABLE "suppression_entries" DROP CONSTRAINT "suppression_entries_kind_check";
ALTER TABLE "suppression_entries" ADD CONSTRAINT "suppression_entries_kind_check" CHECK ("kind" IN ('email', 'domain', 'uen', 'linkedin'));
