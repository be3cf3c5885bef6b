-- Live progress wakes listeners once per statement and run instead of once
-- per step row: a multi-row insert (createMany) sends one notification per run,
-- and because the payload no longer carries the row id, Postgres folds the
-- identical notifications of one transaction into one. Every commit that
-- notifies takes the cluster-wide notify lock, so fewer notifications mean
-- less of that queue. The payload still carries ids only; readers fetch the
-- rows through RLS.
DROP TRIGGER "run_event_logs_notify" ON "run_event_logs";
DROP FUNCTION notify_run_event();

CREATE FUNCTION notify_run_events() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('run_events', json_build_object('tenant_id', tenant_id, 'run_id', run_id)::text)
  FROM (SELECT DISTINCT tenant_id, run_id FROM added_events ORDER BY run_id) runs;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER "run_event_logs_notify" AFTER INSERT ON "run_event_logs"
  REFERENCING NEW TABLE AS added_events
  FOR EACH STATEMENT EXECUTE FUNCTION notify_run_events();
