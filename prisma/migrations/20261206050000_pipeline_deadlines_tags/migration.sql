-- The Pipeline page's reads that the serving zone's pipeline summary cannot answer.

-- Deals closing this month and overdue: open deals by deadline. Partial, so
-- it holds only the deals that can be due, and it carries what the figures
-- need (owner for the hierarchy policy, team for the filter, the value).
CREATE INDEX "lake_opportunities_open_deadline_idx" ON "lake_opportunities"("tenant_id", "deadline")
  INCLUDE ("owner_id", "team_id", "expected_revenue")
  WHERE "outcome" = 'open' AND "active" AND "deleted_at" IS NULL AND "deadline" IS NOT NULL;

-- The funnel orders the serving zone's stages by the stage's sequence as the
-- deals record it, and shows amounts in the deals' currency: one index probe each.
CREATE INDEX "lake_opportunities_stage_name_idx" ON "lake_opportunities"("tenant_id", "stage_name", "stage_sequence");
CREATE INDEX "lake_opportunities_currency_idx" ON "lake_opportunities"("tenant_id", "currency");

-- The pipeline by tag, refreshed with the pipeline summary (the same months,
-- the same deals): one row per group and tag a deal carries, so a deal with
-- two tags counts under each and an untagged deal under none. Canonical
-- cannot answer a tag filter fast: `tags @> …` is not leakproof, so under the
-- row-level policies Postgres may not use an index for it and reads every deal.
CREATE TABLE "lake_pipeline_tag_summary" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "tag" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "stage" TEXT NOT NULL,
    "team_id" UUID,
    "owner_id" UUID,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,
    "weighted_value" DECIMAL(18,2) NOT NULL,
    CONSTRAINT "lake_pipeline_tag_summary_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "lake_pipeline_tag_summary_group_idx" ON "lake_pipeline_tag_summary"(
  "tenant_id", "tag", "month", "stage", COALESCE("team_id", '00000000-0000-0000-0000-000000000000'), COALESCE("owner_id", '00000000-0000-0000-0000-000000000000'), "outcome");

SELECT enable_tenant_rls('lake_pipeline_tag_summary');

-- The sales hierarchy, as on the other serving tables: only the owners the
-- transaction's app.lake_owner_ids names ('*': the whole tenant).
CREATE POLICY lake_hierarchy ON "lake_pipeline_tag_summary" AS RESTRICTIVE FOR ALL TO nexius_app
  USING ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]))
  WITH CHECK ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]));
