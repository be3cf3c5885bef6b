-- The sales hierarchy in the lake: an admin sees the whole tenant, a team
-- manager the records their teams' reps own, a rep their own. On top of the
-- tenant policy, a RESTRICTIVE policy compares each owned row's owner with
-- the transaction-local setting app.lake_owner_ids:
--
--   '*'              every row of the tenant (admins, viewers' aggregates,
--                    the sync engine that writes);
--   'uuid,uuid,...'  the rows those lake users own;
--   unset or ''      no owned row at all, so a transaction that forgot to
--                    say whose records it reads sees nothing rather than all.
--
-- Serving rows without an owner (unassigned deals) follow the same rule:
-- only the whole tenant sees them.

-- The setting as an owner list; NULL for the whole tenant and for none.
CREATE FUNCTION lake_scope_owner_ids() RETURNS uuid[]
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
  SELECT string_to_array(NULLIF(NULLIF(current_setting('app.lake_owner_ids', true), ''), '*'), ',')::uuid[]
$fn$;

CREATE FUNCTION lake_scope_is_tenant() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
  SELECT current_setting('app.lake_owner_ids', true) IS NOT DISTINCT FROM '*'
$fn$;

DO $do$
DECLARE
  tbl text;
  -- Sub-selects, so the setting is read once per statement (an InitPlan), not once per row.
  visible text := '(SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[])';
BEGIN
  FOREACH tbl IN ARRAY ARRAY['lake_opportunities', 'lake_activities', 'lake_pipeline_summary', 'lake_kpi_daily'] LOOP
    EXECUTE format('CREATE POLICY lake_hierarchy ON %I AS RESTRICTIVE FOR ALL TO nexius_app USING (%s) WITH CHECK (%s)', tbl, visible, visible);
  END LOOP;
END
$do$;
