-- Settling a company counts the run's settled companies under a lock on the
-- run row, so concurrent settling jobs count one after another, each seeing
-- the others' committed companies. As a function, the lock, the count and
-- its update are one statement that the server commits itself: the row is
-- locked only while the server runs it, not until a COMMIT that a worker
-- short of CPU sends a round trip later while every other settling job of
-- the run waits. A volatile PL/pgSQL function takes a new snapshot for each
-- statement (READ COMMITTED), so the count after the lock sees what the
-- previous holder committed. SECURITY INVOKER: the caller's tenant policy
-- applies to both tables.
CREATE FUNCTION settle_run(settling_run_id uuid) RETURNS TABLE (settled_count int, target_count int)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $fn$
BEGIN
  PERFORM 1 FROM runs WHERE id = settling_run_id FOR NO KEY UPDATE;
  RETURN QUERY
    UPDATE runs r SET settled_count = (
      SELECT count(*)::int FROM run_companies c WHERE c.run_id = settling_run_id AND c.status IN ('done', 'failed'))
    WHERE r.id = settling_run_id
    RETURNING r.settled_count, r.target_count;
END
$fn$;
