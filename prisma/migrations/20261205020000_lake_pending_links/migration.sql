-- A canonical entity's reference to a source record not loaded yet (a person
-- fetched before their company, a user before their team). The loader fills
-- the column once the target arrives and deletes the row.
CREATE TABLE "lake_pending_links" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "canonical_kind" TEXT NOT NULL,
    "canonical_id" UUID NOT NULL,
    "column_name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    CONSTRAINT "lake_pending_links_pkey" PRIMARY KEY ("tenant_id", "canonical_kind", "canonical_id", "column_name"),
    CONSTRAINT "lake_pending_links_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "lake_pending_links_target_idx" ON "lake_pending_links"("tenant_id", "source", "entity", "source_id");

SELECT enable_tenant_rls('lake_pending_links');
