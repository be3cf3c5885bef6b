-- Two coarser copies of the pipeline summary, kept by the same deltas: by
-- stage and team (the funnel and the team breakdown of a caller who sees the
-- whole tenant) and by owner (the owner breakdown and the open pipeline's
-- total). A million deals make about a hundred thousand summary groups a
-- year; these hold a tenth of that.
CREATE TABLE "lake_pipeline_team_summary" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "month" DATE NOT NULL,
    "stage" TEXT NOT NULL,
    "team_id" UUID,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,
    "weighted_value" DECIMAL NOT NULL,
    CONSTRAINT "lake_pipeline_team_summary_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "lake_pipeline_team_summary_group_idx" ON "lake_pipeline_team_summary"(
  "tenant_id", "month", "stage", COALESCE("team_id", '00000000-0000-0000-0000-000000000000'), "outcome");
SELECT enable_tenant_rls('lake_pipeline_team_summary');
-- It has no owner: only a caller who sees the whole tenant reads it.
CREATE POLICY lake_hierarchy ON "lake_pipeline_team_summary" AS RESTRICTIVE FOR ALL TO nexius_app
  USING ((SELECT lake_scope_is_tenant())) WITH CHECK ((SELECT lake_scope_is_tenant()));

CREATE TABLE "lake_pipeline_owner_summary" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "month" DATE NOT NULL,
    "owner_id" UUID,
    "team_id" UUID,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,
    "weighted_value" DECIMAL NOT NULL,
    CONSTRAINT "lake_pipeline_owner_summary_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "lake_pipeline_owner_summary_group_idx" ON "lake_pipeline_owner_summary"(
  "tenant_id", "month", COALESCE("owner_id", '00000000-0000-0000-0000-000000000000'), COALESCE("team_id", '00000000-0000-0000-0000-000000000000'), "outcome");
CREATE INDEX "lake_pipeline_owner_summary_owner_idx" ON "lake_pipeline_owner_summary"("tenant_id", "owner_id", "month");
SELECT enable_tenant_rls('lake_pipeline_owner_summary');
CREATE POLICY lake_hierarchy ON "lake_pipeline_owner_summary" AS RESTRICTIVE FOR ALL TO nexius_app
  USING ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]))
  WITH CHECK ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]));

-- Filled from the summary as it stands.
INSERT INTO "lake_pipeline_team_summary" (tenant_id, month, stage, team_id, outcome, count, value, weighted_value)
SELECT tenant_id, month, stage, team_id, outcome, sum(count), sum(value), sum(weighted_value)
FROM "lake_pipeline_summary" GROUP BY tenant_id, month, stage, team_id, outcome;
INSERT INTO "lake_pipeline_owner_summary" (tenant_id, month, owner_id, team_id, outcome, count, value, weighted_value)
SELECT tenant_id, month, owner_id, team_id, outcome, sum(count), sum(value), sum(weighted_value)
FROM "lake_pipeline_summary" GROUP BY tenant_id, month, owner_id, team_id, outcome;
