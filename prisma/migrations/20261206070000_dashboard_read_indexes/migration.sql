-- Indexes the CRM dashboards read through at a million deals and five
-- million activities, for every place in the sales hierarchy. A scoped
-- reader's query names its owners (owner_id = ANY(...)) besides the policy,
-- so the owner-led indexes serve reps and managers; the tenant-wide ones
-- serve admins and managers whose owners are a large share of the tenant.

-- The opportunity list's keyset pages: by last change and by value, newest
-- or largest first, for the tenant and for given owners. The owner-led index
-- on last change replaces the plain owner index it starts with.
DROP INDEX "lake_opportunities_tenant_id_owner_id_idx";
CREATE INDEX "lake_opportunities_tenant_id_updated_at_id_idx" ON "lake_opportunities"("tenant_id", "updated_at", "id");
CREATE INDEX "lake_opportunities_tenant_id_owner_id_updated_at_id_idx" ON "lake_opportunities"("tenant_id", "owner_id", "updated_at", "id");
-- By value, the pages compare whole cents: under row-level security a
-- comparison can only be an index condition when its operator is leakproof,
-- and numeric's are not (bigint's are), so a numeric keyset would read every
-- row before the cursor.
ALTER TABLE "lake_opportunities" ADD COLUMN "value_cents" BIGINT NOT NULL GENERATED ALWAYS AS (round("expected_revenue" * 100)::bigint) STORED;
CREATE INDEX "lake_opportunities_tenant_id_value_cents_id_idx" ON "lake_opportunities"("tenant_id", "value_cents", "id");
CREATE INDEX "lake_opportunities_tenant_id_owner_id_value_cents_id_idx" ON "lake_opportunities"("tenant_id", "owner_id", "value_cents", "id");

-- Open deals only (a small share of a mature tenant's deals): the overview's
-- stale deals and the pipeline's closing and overdue deals read them alone.
CREATE INDEX "lake_opportunities_open_idx" ON "lake_opportunities"("tenant_id", "owner_id", "updated_at")
  INCLUDE ("id", "expected_revenue", "deadline")
  WHERE "outcome" = 'open' AND "active" AND "deleted_at" IS NULL;

-- The activity feed (done activities, newest first) for the tenant and for
-- given owners; planned ones ahead would otherwise be skipped row by row.
CREATE INDEX "lake_activities_done_idx" ON "lake_activities"("tenant_id", "at", "id")
  WHERE "state" = 'done' AND "active" AND "deleted_at" IS NULL;
CREATE INDEX "lake_activities_done_owner_idx" ON "lake_activities"("tenant_id", "owner_id", "at", "id")
  WHERE "state" = 'done' AND "active" AND "deleted_at" IS NULL;

-- What a deal (or account, contact) had happen: its timeline, its last touch
-- and next activity, and whether it went stale.
CREATE INDEX "lake_activities_tenant_id_about_kind_about_id_at_idx" ON "lake_activities"("tenant_id", "about_kind", "about_id", "at");

-- Serving rows of given owners (reps' and managers' figures).
CREATE INDEX "lake_pipeline_summary_owner_idx" ON "lake_pipeline_summary"("tenant_id", "owner_id", "month");
CREATE INDEX "lake_kpi_daily_owner_idx" ON "lake_kpi_daily"("tenant_id", "owner_id", "day");

-- The serving refresh finds the deals that closed on its dirty days by this.
CREATE INDEX "lake_opportunities_tenant_id_closed_at_idx" ON "lake_opportunities"("tenant_id", "closed_at");
