-- The pipeline summaries follow canonical by deltas instead of recomputing
-- whole months: every write to lake_opportunities records, in the same
-- statement, what the rows it changed took out of their summary groups and
-- what they put in (triggers below), and the serving refresh adds those
-- deltas to the groups. A sync that moves 1 % of a million deals then costs
-- in proportion to those deals, however many months they span.

-- Weighted values are kept exact (no rounding per group), so that adding
-- deltas and recomputing from canonical give the same figures.
ALTER TABLE "lake_pipeline_summary" ALTER COLUMN "weighted_value" TYPE DECIMAL;
ALTER TABLE "lake_pipeline_tag_summary" ALTER COLUMN "weighted_value" TYPE DECIMAL;

-- What changed deals took out of (negative) and put into (positive) each
-- group, tag null for the untagged summary. No foreign key to tenants: the
-- rows of a tenant being deleted record their deltas as the tenant goes.
CREATE TABLE "lake_pipeline_deltas" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "tag" TEXT,
    "month" DATE NOT NULL,
    "stage" TEXT NOT NULL,
    "team_id" UUID,
    "owner_id" UUID,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "value" DECIMAL NOT NULL,
    "weighted_value" DECIMAL NOT NULL
);
CREATE INDEX "lake_pipeline_deltas_tenant_idx" ON "lake_pipeline_deltas"("tenant_id");
SELECT enable_tenant_rls('lake_pipeline_deltas');

-- A deal counts in the pipeline while its source has it and it is active or
-- lost (Odoo archives what is lost), in the Singapore month it opened, under
-- its stage (its kind when stage-less), team, owner and outcome, and once
-- more under each of its tags.
CREATE FUNCTION lake_pipeline_record_deltas() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  rows_changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM changed'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM before'
    ELSE 'SELECT 1 AS sign, * FROM changed UNION ALL SELECT -1, * FROM before' END;
BEGIN
  -- An update that leaves a deal in its groups nets out to nothing and records nothing.
  EXECUTE format($q$
    INSERT INTO lake_pipeline_deltas (tenant_id, tag, month, stage, team_id, owner_id, outcome, count, value, weighted_value)
    SELECT o.tenant_id, t.tag, date_trunc('month', o.opened_at AT TIME ZONE 'Asia/Singapore')::date, COALESCE(o.stage_name, o.stage_kind),
           o.team_id, o.owner_id, o.outcome,
           sum(o.sign)::int, sum(o.sign * o.expected_revenue), sum(o.sign * o.expected_revenue * o.probability::numeric / 100)
    FROM (%s) o
    CROSS JOIN LATERAL (SELECT NULL::text UNION ALL SELECT unnest(o.tags)) AS t(tag)
    WHERE o.deleted_at IS NULL AND (o.active OR o.outcome = 'lost')
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(o.sign) <> 0 OR sum(o.sign * o.expected_revenue) <> 0 OR sum(o.sign * o.expected_revenue * o.probability::numeric / 100) <> 0
  $q$, rows_changed);
  RETURN NULL;
END
$fn$;

-- Statement-level, so a sync batch records its deltas once, grouped.
CREATE TRIGGER lake_opportunities_pipeline_insert AFTER INSERT ON "lake_opportunities"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lake_pipeline_record_deltas();
CREATE TRIGGER lake_opportunities_pipeline_update AFTER UPDATE ON "lake_opportunities"
  REFERENCING OLD TABLE AS before NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lake_pipeline_record_deltas();
CREATE TRIGGER lake_opportunities_pipeline_delete AFTER DELETE ON "lake_opportunities"
  REFERENCING OLD TABLE AS before FOR EACH STATEMENT EXECUTE FUNCTION lake_pipeline_record_deltas();

-- Months marked for recomputing are the deltas' business now; the refresh
-- runs in the writing transaction, so none are pending between syncs.
DELETE FROM "lake_serving_dirty" WHERE "aggregate" = 'pipeline';
