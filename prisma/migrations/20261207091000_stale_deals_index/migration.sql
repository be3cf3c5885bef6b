-- A deal is stale when it is open and nobody attended to it for two weeks:
-- neither changed, nor any activity about it dated since (a planned one
-- ahead counts as attention). The latest activity date is kept beside the
-- touches, and the later of it and the last change is a stored column, so
-- the stale deals are one range of an index instead of an anti-join of a
-- million deals against their activities.
ALTER TABLE "lake_opportunities" ADD COLUMN "latest_activity_at" TIMESTAMPTZ(3);
ALTER TABLE "lake_opportunities" ADD COLUMN "attended_at" TIMESTAMPTZ(3) GENERATED ALWAYS AS (GREATEST("updated_at", "latest_activity_at")) STORED;

CREATE OR REPLACE FUNCTION lake_opportunity_touches_refresh(deals uuid[]) RETURNS void
LANGUAGE sql AS $fn$
  UPDATE lake_opportunities o
  SET last_touch_at = t.last_touch, next_activity_at = t.next_activity, latest_activity_at = t.latest_activity
  FROM (
    SELECT d.id,
           (SELECT max(a.at) FROM lake_activities a
            WHERE a.about_kind = 'opportunity' AND a.about_id = d.id AND a.state = 'done' AND a.active AND a.deleted_at IS NULL) AS last_touch,
           (SELECT min(a.at) FROM lake_activities a
            WHERE a.about_kind = 'opportunity' AND a.about_id = d.id AND a.state = 'planned' AND a.active AND a.deleted_at IS NULL) AS next_activity,
           (SELECT max(a.at) FROM lake_activities a
            WHERE a.about_kind = 'opportunity' AND a.about_id = d.id AND a.deleted_at IS NULL) AS latest_activity
    FROM unnest(deals) AS d(id)
  ) t
  WHERE o.id = t.id
    AND (o.last_touch_at IS DISTINCT FROM t.last_touch OR o.next_activity_at IS DISTINCT FROM t.next_activity
         OR o.latest_activity_at IS DISTINCT FROM t.latest_activity)
$fn$;

-- Deals already in the lake: their latest activity as the triggers would have kept it.
UPDATE "lake_opportunities" o SET "latest_activity_at" = t.latest
FROM (SELECT about_id, max(at) AS latest FROM "lake_activities"
      WHERE about_kind = 'opportunity' AND about_id IS NOT NULL AND deleted_at IS NULL GROUP BY about_id) t
WHERE o.id = t.about_id;

-- The open deals by when they were last attended to, with what the stale
-- figures add up and filter on, for the whole tenant and per owner.
CREATE INDEX "lake_opportunities_open_attended_idx" ON "lake_opportunities" ("tenant_id", "attended_at")
  INCLUDE ("expected_revenue", "owner_id", "team_id") WHERE "outcome" = 'open' AND "active" AND "deleted_at" IS NULL;
CREATE INDEX "lake_opportunities_open_owner_attended_idx" ON "lake_opportunities" ("tenant_id", "owner_id", "attended_at")
  INCLUDE ("expected_revenue", "team_id") WHERE "outcome" = 'open' AND "active" AND "deleted_at" IS NULL;
