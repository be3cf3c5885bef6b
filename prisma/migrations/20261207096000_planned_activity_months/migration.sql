-- Planned activities counted per owner by the Singapore month they are due,
-- kept by deltas like the pipeline summaries: the overdue activities per
-- owner are then the whole months before this one from here, plus this
-- month's days read from the activities themselves.
CREATE TABLE "lake_planned_activity_deltas" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "month" DATE NOT NULL,
    "owner_id" UUID,
    "count" INTEGER NOT NULL
);
CREATE INDEX "lake_planned_activity_deltas_tenant_idx" ON "lake_planned_activity_deltas"("tenant_id");
SELECT enable_tenant_rls('lake_planned_activity_deltas');

CREATE TABLE "lake_planned_activity_months" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "month" DATE NOT NULL,
    "owner_id" UUID,
    "count" INTEGER NOT NULL,
    CONSTRAINT "lake_planned_activity_months_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "lake_planned_activity_months_group_idx" ON "lake_planned_activity_months"(
  "tenant_id", "month", COALESCE("owner_id", '00000000-0000-0000-0000-000000000000'));
CREATE INDEX "lake_planned_activity_months_owner_idx" ON "lake_planned_activity_months"("tenant_id", "owner_id", "month");
SELECT enable_tenant_rls('lake_planned_activity_months');
CREATE POLICY lake_hierarchy ON "lake_planned_activity_months" AS RESTRICTIVE FOR ALL TO nexius_app
  USING ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]))
  WITH CHECK ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]));

CREATE FUNCTION lake_planned_activities_record_deltas() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  rows_changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM changed'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM before'
    ELSE 'SELECT 1 AS sign, * FROM changed UNION ALL SELECT -1, * FROM before' END;
BEGIN
  EXECUTE format($q$
    INSERT INTO lake_planned_activity_deltas (tenant_id, month, owner_id, count)
    SELECT a.tenant_id, date_trunc('month', a.at AT TIME ZONE 'Asia/Singapore')::date, a.owner_id, sum(a.sign)::int
    FROM (%s) a
    WHERE a.state = 'planned' AND a.active AND a.deleted_at IS NULL
    GROUP BY 1, 2, 3
    HAVING sum(a.sign) <> 0
  $q$, rows_changed);
  RETURN NULL;
END
$fn$;

CREATE TRIGGER lake_activities_planned_insert AFTER INSERT ON "lake_activities"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lake_planned_activities_record_deltas();
CREATE TRIGGER lake_activities_planned_update AFTER UPDATE ON "lake_activities"
  REFERENCING OLD TABLE AS before NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lake_planned_activities_record_deltas();
CREATE TRIGGER lake_activities_planned_delete AFTER DELETE ON "lake_activities"
  REFERENCING OLD TABLE AS before FOR EACH STATEMENT EXECUTE FUNCTION lake_planned_activities_record_deltas();

-- Filled from the activities as they stand.
INSERT INTO "lake_planned_activity_months" (tenant_id, month, owner_id, count)
SELECT tenant_id, date_trunc('month', at AT TIME ZONE 'Asia/Singapore')::date, owner_id, count(*)::int
FROM "lake_activities" WHERE state = 'planned' AND active AND deleted_at IS NULL
GROUP BY 1, 2, 3;
