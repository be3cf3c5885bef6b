-- The application role keeps only what tenant code needs.
--
-- Tenants and their Odoo connections are written by the platform client alone
-- (provisioning, the control plane). The app role could otherwise rewrite its
-- own tenant row (plan, status) or point odoo_connections.base_url elsewhere,
-- and the Odoo push would then send the tenant's Odoo credentials there.
REVOKE INSERT, UPDATE, DELETE ON "tenants", "odoo_connections" FROM nexius_app;

-- Jobs: the app role has no rights on graphile-worker's schema (the migrator
-- revokes them once that schema exists); it adds jobs only through this
-- function, which runs as the owner and accepts a job only for the tenant of
-- the calling transaction (app.tenant_id), only for the tasks tenant code
-- enqueues, and never under a job key or queue another tenant's job holds.
CREATE FUNCTION app_enqueue_job(
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
    'score_company', 'start_run', 'sync_odoo_member', 'verify_run_emails'
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
REVOKE ALL ON FUNCTION app_enqueue_job(text, json, text, timestamptz, int, text, int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_enqueue_job(text, json, text, timestamptz, int, text, int, text) TO nexius_app;
