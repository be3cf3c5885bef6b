-- A shortlist's ranking, materialised per run: the page reads only the ranks
-- it shows instead of ranking a whole run's scores on every request. Rebuilt
-- (one INSERT … SELECT of the ranking query) when a run succeeds, when a
-- same-day re-enrich run changes scores and when UEN suppressions change; a
-- run without a build (finished before this migration, or invalidated) is
-- built on its first read. Tenant-owned and under row-level security.

-- One row per shortlisted company. `rank` orders the whole shortlist; the
-- other ranks number the rows within their bucket, industry, and both, so a
-- filtered page is a range of one index too.
CREATE TABLE "shortlist_entries" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "run_id" UUID NOT NULL,
    "rank" INTEGER NOT NULL,
    "uen" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "bucket" TEXT NOT NULL,
    "industry" TEXT,
    "verified_contacts" INTEGER NOT NULL,
    "score_run_id" UUID NOT NULL,
    "bucket_rank" INTEGER NOT NULL,
    "industry_rank" INTEGER,
    "bucket_industry_rank" INTEGER,
    CONSTRAINT "shortlist_entries_pkey" PRIMARY KEY ("tenant_id", "run_id", "rank"),
    CONSTRAINT "shortlist_entries_run_fkey" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "runs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "shortlist_entries_bucket_rank_idx" ON "shortlist_entries"("tenant_id", "run_id", "bucket", "bucket_rank");
CREATE INDEX "shortlist_entries_industry_rank_idx" ON "shortlist_entries"("tenant_id", "run_id", "industry", "industry_rank");
CREATE INDEX "shortlist_entries_bucket_industry_rank_idx" ON "shortlist_entries"("tenant_id", "run_id", "bucket", "industry", "bucket_industry_rank");

-- A run whose entries are current, with the shortlist's bucket × industry
-- counts ([{bucket, industry, companies}]) from the same build.
CREATE TABLE "shortlist_builds" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "run_id" UUID NOT NULL,
    "facets" JSONB NOT NULL,
    "built_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "shortlist_builds_pkey" PRIMARY KEY ("tenant_id", "run_id"),
    CONSTRAINT "shortlist_builds_run_fkey" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "runs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);

SELECT enable_tenant_rls('shortlist_entries');
SELECT enable_tenant_rls('shortlist_builds');
