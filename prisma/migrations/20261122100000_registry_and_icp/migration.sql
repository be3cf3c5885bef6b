-- Company registry (ACRA), ingestion bookkeeping, per-tenant ICP candidates,
-- their refresh log, and tenant alerts.
--
-- The registry is global: every tenant reads it, only the platform writes it
-- (the ingestion runs as the owner connection). Candidates, refreshes and
-- alerts are tenant-owned and under row-level security.

CREATE TABLE "staging_acra_companies" (
    "issuance_agency_id" TEXT,
    "uen" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "entity_type_description" TEXT,
    "business_constitution_description" TEXT,
    "company_type_description" TEXT,
    "paf_constitution_description" TEXT,
    "entity_status_description" TEXT NOT NULL,
    "registration_incorporation_date" DATE,
    "uen_issue_date" DATE,
    "address_type" TEXT,
    "block" TEXT,
    "street_name" TEXT,
    "level_no" TEXT,
    "unit_no" TEXT,
    "building_name" TEXT,
    "postal_code" TEXT,
    "other_address_line1" TEXT,
    "other_address_line2" TEXT,
    "account_due_date" DATE,
    "annual_return_date" DATE,
    "no_of_charges" INTEGER,
    "primary_ssic_code" TEXT,
    "primary_ssic_description" TEXT,
    "primary_user_described_activity" TEXT,
    "secondary_ssic_code" TEXT,
    "secondary_ssic_description" TEXT,
    "secondary_user_described_activity" TEXT,
    "no_of_officers" INTEGER,
    "former_entity_name1" TEXT,
    "former_entity_name2" TEXT,
    "former_entity_name3" TEXT,
    "former_entity_name4" TEXT,
    "former_entity_name5" TEXT,
    "former_entity_name6" TEXT,
    "former_entity_name7" TEXT,
    "former_entity_name8" TEXT,
    "former_entity_name9" TEXT,
    "former_entity_name10" TEXT,
    "former_entity_name11" TEXT,
    "former_entity_name12" TEXT,
    "former_entity_name13" TEXT,
    "former_entity_name14" TEXT,
    "former_entity_name15" TEXT,
    "paid_up_capital1_currency" TEXT,
    "paid_up_capital1_ordinary" NUMERIC(20,2),
    "paid_up_capital1_preference" NUMERIC(20,2),
    "paid_up_capital1_others" NUMERIC(20,2),
    "paid_up_capital2_currency" TEXT,
    "paid_up_capital2_ordinary" NUMERIC(20,2),
    "paid_up_capital2_preference" NUMERIC(20,2),
    "paid_up_capital2_others" NUMERIC(20,2),
    "paid_up_capital3_currency" TEXT,
    "paid_up_capital3_ordinary" NUMERIC(20,2),
    "paid_up_capital3_preference" NUMERIC(20,2),
    "paid_up_capital3_others" NUMERIC(20,2),
    "paid_up_capital4_currency" TEXT,
    "paid_up_capital4_ordinary" NUMERIC(20,2),
    "paid_up_capital4_preference" NUMERIC(20,2),
    "paid_up_capital4_others" NUMERIC(20,2),
    "paid_up_capital5_currency" TEXT,
    "paid_up_capital5_ordinary" NUMERIC(20,2),
    "paid_up_capital5_preference" NUMERIC(20,2),
    "paid_up_capital5_others" NUMERIC(20,2),
    "paid_up_capital6_currency" TEXT,
    "paid_up_capital6_ordinary" NUMERIC(20,2),
    "paid_up_capital6_preference" NUMERIC(20,2),
    "paid_up_capital6_others" NUMERIC(20,2),
    "paid_up_capital7_currency" TEXT,
    "paid_up_capital7_ordinary" NUMERIC(20,2),
    "paid_up_capital7_preference" NUMERIC(20,2),
    "paid_up_capital7_others" NUMERIC(20,2),
    "paid_up_capital8_currency" TEXT,
    "paid_up_capital8_ordinary" NUMERIC(20,2),
    "paid_up_capital8_preference" NUMERIC(20,2),
    "paid_up_capital8_others" NUMERIC(20,2),
    "paid_up_capital9_currency" TEXT,
    "paid_up_capital9_ordinary" NUMERIC(20,2),
    "paid_up_capital9_preference" NUMERIC(20,2),
    "paid_up_capital9_others" NUMERIC(20,2),
    "paid_up_capital10_currency" TEXT,
    "paid_up_capital10_ordinary" NUMERIC(20,2),
    "paid_up_capital10_preference" NUMERIC(20,2),
    "paid_up_capital10_others" NUMERIC(20,2),
    "uen_of_audit_firm1" TEXT,
    "uen_of_audit_firm2" TEXT,
    "uen_of_audit_firm3" TEXT,
    "uen_of_audit_firm4" TEXT,
    "uen_of_audit_firm5" TEXT,
    "name_of_audit_firm1" TEXT,
    "name_of_audit_firm2" TEXT,
    "name_of_audit_firm3" TEXT,
    "name_of_audit_firm4" TEXT,
    "name_of_audit_firm5" TEXT,
    "extra" JSONB NOT NULL DEFAULT '{}',
    "content_hash" TEXT NOT NULL,
    "first_run_id" UUID,
    "last_run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "staging_acra_companies_pkey" PRIMARY KEY ("uen")
);

CREATE TABLE "acra_ingestion_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "source" TEXT NOT NULL,
    "source_version" TEXT,
    "status" TEXT NOT NULL DEFAULT 'running',
    "files" JSONB NOT NULL DEFAULT '[]',
    "rows_read" INTEGER NOT NULL DEFAULT 0,
    "rows_inserted" INTEGER NOT NULL DEFAULT 0,
    "rows_updated" INTEGER NOT NULL DEFAULT 0,
    "rows_unchanged" INTEGER NOT NULL DEFAULT 0,
    "rows_rejected" INTEGER NOT NULL DEFAULT 0,
    "rows_duplicate" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    CONSTRAINT "acra_ingestion_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "acra_ingestion_runs_status_check" CHECK ("status" IN ('running', 'succeeded', 'failed'))
);
CREATE INDEX "acra_ingestion_runs_source_started_at_idx" ON "acra_ingestion_runs"("source", "started_at");

-- Rows a load did not take: invalid ones, and duplicate UENs superseded by a later line.
CREATE TABLE "acra_ingestion_rejects" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'invalid',
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "uen" TEXT,
    "reason" TEXT NOT NULL,
    "raw_line" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "acra_ingestion_rejects_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "acra_ingestion_rejects_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "acra_ingestion_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "acra_ingestion_rejects_kind_check" CHECK ("kind" IN ('invalid', 'duplicate'))
);
CREATE INDEX "acra_ingestion_rejects_run_id_idx" ON "acra_ingestion_rejects"("run_id");

REVOKE INSERT, UPDATE, DELETE ON "staging_acra_companies", "acra_ingestion_runs", "acra_ingestion_rejects" FROM nexius_app;
REVOKE USAGE, SELECT ON SEQUENCE "acra_ingestion_rejects_id_seq" FROM nexius_app;

CREATE TABLE "icp_candidate_companies" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "uen" TEXT NOT NULL,
    "matched_by" TEXT NOT NULL,
    "refresh_id" UUID NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "icp_candidate_companies_pkey" PRIMARY KEY ("tenant_id", "uen"),
    CONSTRAINT "icp_candidate_companies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "icp_candidate_companies_matched_by_check" CHECK ("matched_by" IN ('rules', 'industry_fallback'))
);

CREATE TABLE "icp_candidate_refreshes" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "icp_version" INTEGER,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "degraded_reason" TEXT,
    "matched_by_rules" INTEGER NOT NULL DEFAULT 0,
    "candidate_count" INTEGER NOT NULL DEFAULT 0,
    "added" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "floor" INTEGER,
    "below_floor" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    CONSTRAINT "icp_candidate_refreshes_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "icp_candidate_refreshes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "icp_candidate_refreshes_status_check" CHECK ("status" IN ('ok', 'degraded', 'failed'))
);
CREATE INDEX "icp_candidate_refreshes_tenant_id_started_at_idx" ON "icp_candidate_refreshes"("tenant_id", "started_at");

CREATE TABLE "alerts" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    CONSTRAINT "alerts_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "alerts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alerts_severity_check" CHECK ("severity" IN ('info', 'warning', 'critical'))
);
CREATE INDEX "alerts_tenant_id_created_at_idx" ON "alerts"("tenant_id", "created_at");
CREATE INDEX "alerts_tenant_id_kind_resolved_at_idx" ON "alerts"("tenant_id", "kind", "resolved_at");

SELECT enable_tenant_rls('icp_candidate_companies');
SELECT enable_tenant_rls('icp_candidate_refreshes');
SELECT enable_tenant_rls('alerts');

ALTER TABLE "icp_rules" ADD CONSTRAINT "icp_rules_version_check" CHECK ("version" > 0);
