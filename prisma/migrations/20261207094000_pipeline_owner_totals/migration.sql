-- The owner copy once more without the month: what each owner's deals add
-- up to now, for the open pipeline's total (a few hundred rows a tenant).
CREATE TABLE "lake_pipeline_owner_totals" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "owner_id" UUID,
    "team_id" UUID,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,
    "weighted_value" DECIMAL NOT NULL,
    CONSTRAINT "lake_pipeline_owner_totals_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "lake_pipeline_owner_totals_group_idx" ON "lake_pipeline_owner_totals"(
  "tenant_id", COALESCE("owner_id", '00000000-0000-0000-0000-000000000000'), COALESCE("team_id", '00000000-0000-0000-0000-000000000000'), "outcome");
SELECT enable_tenant_rls('lake_pipeline_owner_totals');
CREATE POLICY lake_hierarchy ON "lake_pipeline_owner_totals" AS RESTRICTIVE FOR ALL TO nexius_app
  USING ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]))
  WITH CHECK ((SELECT lake_scope_is_tenant()) OR owner_id = ANY ((SELECT lake_scope_owner_ids())::uuid[]));

-- Filled from the summary as it stands.
INSERT INTO "lake_pipeline_owner_totals" (tenant_id, owner_id, team_id, outcome, count, value, weighted_value)
SELECT tenant_id, owner_id, team_id, outcome, sum(count), sum(value), sum(weighted_value)
FROM "lake_pipeline_summary" GROUP BY tenant_id, owner_id, team_id, outcome;
