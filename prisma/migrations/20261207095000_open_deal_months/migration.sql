-- Open deals counted by month, per owner and team, kept by deltas like the
-- pipeline summaries: by the month of their deadline (the deals closing this
-- month, and the overdue ones before it) and by the Singapore month they were
-- last attended to (the stale ones). A figure over a tenant's open deals is
-- then the whole months before its boundary from here, plus the part of one
-- month read from the deals themselves.
CREATE TABLE "lake_open_deal_deltas" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "measure" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "owner_id" UUID,
    "team_id" UUID,
    "count" INTEGER NOT NULL,
    "value" DECIMAL NOT NULL
);
CREATE INDEX "lake_open_deal_deltas_tenant_idx" ON "lake_open_deal_deltas"("tenant_id");
SELECT enable_tenant_rls('lake_open_deal_deltas');

CREATE TABLE "lake_open_deal_months" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "measure" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "owner_id" UUID,
    "team_id" UUID,
    "count" INTEGER NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,
    CONSTRAINT "lake_open_deal_months_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "lake_open_deal_months_group_idx" ON "lake_open_deal_months"(
  "tenant_id", "measure", "month", COALESCE("owner_id", '00000000-0000-0000-0000-000000000000'), COALESCE("team_id", '00000000-0000-0000-0000-000000000000'));
CREATE INDEX "lake_open_deal_months_owner_idx" ON "lake_open_deal_months"("tenant_id", "owner_id", "measure", "month");
SELECT enable_tenant_rls('lake_open_deal_months');
CREATE POLICY lake_hierarchy ON "lake_open_deal_months" AS RESTRICTIVE FOR ALL TO nexius_app
  USING ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]))
  WITH CHECK ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]));

-- A deal is open while its source has it, active and neither won nor lost.
CREATE FUNCTION lake_open_deals_record_deltas() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  rows_changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM changed'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM before'
    ELSE 'SELECT 1 AS sign, * FROM changed UNION ALL SELECT -1, * FROM before' END;
BEGIN
  EXECUTE format($q$
    INSERT INTO lake_open_deal_deltas (tenant_id, measure, month, owner_id, team_id, count, value)
    SELECT o.tenant_id, m.measure, m.month, o.owner_id, o.team_id, sum(o.sign)::int, sum(o.sign * o.expected_revenue)
    FROM (%s) o
    CROSS JOIN LATERAL (VALUES
      ('deadline', date_trunc('month', o.deadline)::date),
      ('attended', date_trunc('month', o.attended_at AT TIME ZONE 'Asia/Singapore')::date)) AS m(measure, month)
    WHERE o.outcome = 'open' AND o.active AND o.deleted_at IS NULL AND m.month IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(o.sign) <> 0 OR sum(o.sign * o.expected_revenue) <> 0
  $q$, rows_changed);
  RETURN NULL;
END
$fn$;

CREATE TRIGGER lake_opportunities_open_deals_insert AFTER INSERT ON "lake_opportunities"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lake_open_deals_record_deltas();
CREATE TRIGGER lake_opportunities_open_deals_update AFTER UPDATE ON "lake_opportunities"
  REFERENCING OLD TABLE AS before NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lake_open_deals_record_deltas();
CREATE TRIGGER lake_opportunities_open_deals_delete AFTER DELETE ON "lake_opportunities"
  REFERENCING OLD TABLE AS before FOR EACH STATEMENT EXECUTE FUNCTION lake_open_deals_record_deltas();

-- Filled from the deals as they stand.
INSERT INTO "lake_open_deal_months" (tenant_id, measure, month, owner_id, team_id, count, value)
SELECT o.tenant_id, m.measure, m.month, o.owner_id, o.team_id, count(*)::int, sum(o.expected_revenue)
FROM "lake_opportunities" o
CROSS JOIN LATERAL (VALUES
  ('deadline', date_trunc('month', o.deadline)::date),
  ('attended', date_trunc('month', o.attended_at AT TIME ZONE 'Asia/Singapore')::date)) AS m(measure, month)
WHERE o.outcome = 'open' AND o.active AND o.deleted_at IS NULL AND m.month IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
