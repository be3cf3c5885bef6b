-- Adds a job like app_enqueue_job(), unless a job of the same key is already
-- waiting for its first start: that job will see everything this one would,
-- so there is nothing to add. Every company of a run that leaves addresses to
-- verify asks for the run's one verification job; through add_job each of
-- them updated that one job row (and sent a queue notification), so the
-- companies of every worker queued for the row's lock. Here the usual case is
-- a read that takes no lock. A job already started (locked) or waiting for a
-- retry does not count: add_job then adds a fresh one, as before. Only the
-- current tenant's jobs are looked at, so another tenant's keys stay unseen;
-- app_enqueue_job() does every other check.
CREATE FUNCTION app_enqueue_job_unless_waiting(
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
  IF tenant IS NOT NULL AND job_key IS NOT NULL THEN
    RETURN QUERY
      SELECT j.id, j.key FROM graphile_worker._private_jobs j
      WHERE j.key = app_enqueue_job_unless_waiting.job_key AND j.locked_at IS NULL AND j.attempts = 0
        AND lower(j.payload->>'tenantId') = lower(tenant);
    IF FOUND THEN
      RETURN;
    END IF;
  END IF;
  RETURN QUERY
    SELECT a.id, a.key FROM public.app_enqueue_job(
      identifier => app_enqueue_job_unless_waiting.identifier,
      payload => app_enqueue_job_unless_waiting.payload,
      queue_name => app_enqueue_job_unless_waiting.queue_name,
      run_at => app_enqueue_job_unless_waiting.run_at,
      max_attempts => app_enqueue_job_unless_waiting.max_attempts,
      job_key => app_enqueue_job_unless_waiting.job_key,
      priority => app_enqueue_job_unless_waiting.priority,
      job_key_mode => app_enqueue_job_unless_waiting.job_key_mode) a;
END
$fn$;

REVOKE ALL ON FUNCTION app_enqueue_job_unless_waiting(text, json, text, timestamptz, int, text, int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_enqueue_job_unless_waiting(text, json, text, timestamptz, int, text, int, text) TO nexius_app;
