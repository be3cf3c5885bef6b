-- The opportunities table sorts server-side on value, probability, age in
-- stage, last touch, expected closing and last change, a page at a time by
-- keyset. Each sort key is a column (or a fixed expression) with two indexes:
-- (tenant, key, id) for a caller who sees the whole tenant, and
-- (tenant, owner, key, id) for a rep, whose query names their owner id.

-- When the deal entered its current stage (Odoo's date_last_stage_update);
-- null for rows loaded before the source said, when the age counts from the opening.
ALTER TABLE "lake_opportunities" ADD COLUMN "stage_entered_at" TIMESTAMPTZ(3);
-- The latest done activity about the deal and the earliest planned one, kept
-- by the triggers below so the list can sort and page on them.
ALTER TABLE "lake_opportunities" ADD COLUMN "last_touch_at" TIMESTAMPTZ(3);
ALTER TABLE "lake_opportunities" ADD COLUMN "next_activity_at" TIMESTAMPTZ(3);

-- Recomputes the touches of the deals the changed activities are (or were) about.
CREATE FUNCTION lake_opportunity_touches_refresh(deals uuid[]) RETURNS void
LANGUAGE sql AS $fn$
  UPDATE lake_opportunities o
  SET last_touch_at = t.last_touch, next_activity_at = t.next_activity
  FROM (
    SELECT d.id,
           (SELECT max(a.at) FROM lake_activities a
            WHERE a.about_kind = 'opportunity' AND a.about_id = d.id AND a.state = 'done' AND a.active AND a.deleted_at IS NULL) AS last_touch,
           (SELECT min(a.at) FROM lake_activities a
            WHERE a.about_kind = 'opportunity' AND a.about_id = d.id AND a.state = 'planned' AND a.active AND a.deleted_at IS NULL) AS next_activity
    FROM unnest(deals) AS d(id)
  ) t
  WHERE o.id = t.id
    AND (o.last_touch_at IS DISTINCT FROM t.last_touch OR o.next_activity_at IS DISTINCT FROM t.next_activity)
$fn$;

CREATE FUNCTION lake_activities_touch_new() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM lake_opportunity_touches_refresh(ARRAY(SELECT DISTINCT about_id FROM changed WHERE about_kind = 'opportunity' AND about_id IS NOT NULL));
  RETURN NULL;
END
$fn$;

CREATE FUNCTION lake_activities_touch_update() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM lake_opportunity_touches_refresh(ARRAY(
    SELECT about_id FROM changed WHERE about_kind = 'opportunity' AND about_id IS NOT NULL
    UNION SELECT about_id FROM before WHERE about_kind = 'opportunity' AND about_id IS NOT NULL));
  RETURN NULL;
END
$fn$;

-- Statement-level, so a sync batch of thousands of activities recomputes each deal once.
CREATE TRIGGER lake_activities_touch_insert AFTER INSERT ON "lake_activities"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lake_activities_touch_new();
CREATE TRIGGER lake_activities_touch_update AFTER UPDATE ON "lake_activities"
  REFERENCING OLD TABLE AS before NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lake_activities_touch_update();
CREATE TRIGGER lake_activities_touch_delete AFTER DELETE ON "lake_activities"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lake_activities_touch_new();

-- Rows already in the lake: their touches as the triggers would have kept them.
SELECT lake_opportunity_touches_refresh(ARRAY(
  SELECT DISTINCT about_id FROM lake_activities WHERE about_kind = 'opportunity' AND about_id IS NOT NULL));

-- The list's sort keys; an unknown key sorts last ascending (no deadline,
-- never touched) and the age in stage counts from the opening when the stage
-- change is unknown.
CREATE INDEX "lake_opportunities_value_idx" ON "lake_opportunities" ("tenant_id", "expected_revenue", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_owner_value_idx" ON "lake_opportunities" ("tenant_id", "owner_id", "expected_revenue", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_probability_idx" ON "lake_opportunities" ("tenant_id", "probability", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_owner_probability_idx" ON "lake_opportunities" ("tenant_id", "owner_id", "probability", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_stage_entered_idx" ON "lake_opportunities" ("tenant_id", (COALESCE("stage_entered_at", "opened_at")), "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_owner_stage_entered_idx" ON "lake_opportunities" ("tenant_id", "owner_id", (COALESCE("stage_entered_at", "opened_at")), "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_last_touch_idx" ON "lake_opportunities" ("tenant_id", (COALESCE("last_touch_at", '1970-01-01 00:00:00+00'::timestamptz)), "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_owner_last_touch_idx" ON "lake_opportunities" ("tenant_id", "owner_id", (COALESCE("last_touch_at", '1970-01-01 00:00:00+00'::timestamptz)), "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_deadline_idx" ON "lake_opportunities" ("tenant_id", (COALESCE("deadline", '9999-12-31'::date)), "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_owner_deadline_idx" ON "lake_opportunities" ("tenant_id", "owner_id", (COALESCE("deadline", '9999-12-31'::date)), "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_updated_idx" ON "lake_opportunities" ("tenant_id", "updated_at", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_owner_updated_idx" ON "lake_opportunities" ("tenant_id", "owner_id", "updated_at", "id") WHERE "deleted_at" IS NULL;
-- The timeline reads a deal's activities.
CREATE INDEX "lake_activities_about_idx" ON "lake_activities" ("tenant_id", "about_id", "at") WHERE "about_kind" = 'opportunity';
