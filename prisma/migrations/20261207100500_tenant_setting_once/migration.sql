-- The tenant policy reads the transaction's tenant once per statement, not
-- once per row. Written as `tenant_id = NULLIF(current_setting(…), '')::uuid`
-- the setting is looked up, trimmed and parsed for every row a scan
-- filters — a serving-zone aggregate over 12,000 rows took three times as
-- long as the same query without RLS. As a scalar subquery it is an
-- initplan: evaluated once, and still an index condition.
CREATE OR REPLACE FUNCTION enable_tenant_rls(tbl regclass, tenant_column text DEFAULT 'tenant_id')
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO nexius_app '
    'USING (%2$I = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)) '
    'WITH CHECK (%2$I = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))',
    tbl, tenant_column);
  EXECUTE format(
    'CREATE POLICY platform_access ON %s TO nexius_platform USING (true) WITH CHECK (true)', tbl);
END
$fn$;
REVOKE ALL ON FUNCTION enable_tenant_rls(regclass, text) FROM PUBLIC;

-- Every existing tenant policy, rewritten the same way on its own column.
DO $do$
DECLARE
  p record;
  col text;
BEGIN
  FOR p IN
    SELECT c.oid::regclass AS tbl, pg_get_expr(pol.polqual, pol.polrelid) AS qual
    FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
    WHERE pol.polname = 'tenant_isolation'
  LOOP
    col := substring(p.qual FROM '^\((\w+) = \(NULLIF\(current_setting\(''app\.tenant_id''::text, true\), ''''::text\)\)::uuid\)$');
    IF col IS NULL THEN
      RAISE EXCEPTION 'tenant policy of % is not the expected form: %', p.tbl, p.qual;
    END IF;
    EXECUTE format(
      'ALTER POLICY tenant_isolation ON %s '
      'USING (%2$I = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)) '
      'WITH CHECK (%2$I = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))',
      p.tbl, col);
  END LOOP;
END
$do$;
