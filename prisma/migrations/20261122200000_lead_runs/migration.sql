-- The nightly lead engine: runs and their companies, step logs and vendor
-- usage; enrichment results (features, pages, contacts, emails) with
-- provenance; scores with rationales; caches and budgets; suppression lists;
-- Odoo links. Every table is tenant-owned and under row-level security.

CREATE TABLE "runs" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "degraded" BOOLEAN NOT NULL DEFAULT false,
    "degraded_reasons" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "icp_version" INTEGER,
    "options" JSONB NOT NULL DEFAULT '{}',
    "run_date" DATE NOT NULL,
    "started_by_sub" TEXT,
    "started_by_email" TEXT,
    "candidates_total" INTEGER,
    "target_count" INTEGER NOT NULL DEFAULT 0,
    "settled_count" INTEGER NOT NULL DEFAULT 0,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "qa_sample" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "runs_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "runs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "runs_kind_check" CHECK ("kind" IN ('nightly', 'manual', 're_enrich')),
    CONSTRAINT "runs_status_check" CHECK ("status" IN ('queued', 'running', 'finalizing', 'succeeded', 'failed', 'cancelled'))
);
CREATE INDEX "runs_tenant_id_created_at_idx" ON "runs"("tenant_id", "created_at");
CREATE INDEX "runs_tenant_id_run_date_idx" ON "runs"("tenant_id", "run_date");

CREATE TABLE "run_companies" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "run_id" UUID NOT NULL,
    "uen" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "stage" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "run_companies_pkey" PRIMARY KEY ("tenant_id", "run_id", "uen"),
    CONSTRAINT "run_companies_run_fkey" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "runs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "run_companies_status_check" CHECK ("status" IN ('pending', 'running', 'awaiting_verification', 'done', 'failed'))
);
CREATE INDEX "run_companies_tenant_id_run_id_status_idx" ON "run_companies"("tenant_id", "run_id", "status");

CREATE TABLE "run_event_logs" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "uen" TEXT,
    "stage" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "tool" TEXT,
    "duration_ms" INTEGER,
    "args" JSONB NOT NULL DEFAULT '{}',
    "message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "run_event_logs_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "run_event_logs_run_fkey" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "runs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "run_event_logs_status_check" CHECK ("status" IN ('ok', 'error', 'skipped', 'info'))
);
CREATE INDEX "run_event_logs_tenant_id_run_id_id_idx" ON "run_event_logs"("tenant_id", "run_id", "id");

-- Live progress: listeners (the SSE stream) wake up on every new event. The
-- payload carries ids only; readers fetch the rows through RLS.
CREATE FUNCTION notify_run_event() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('run_events', json_build_object('tenant_id', NEW.tenant_id, 'run_id', NEW.run_id, 'id', NEW.id)::text);
  RETURN NEW;
END
$fn$;
CREATE TRIGGER "run_event_logs_notify" AFTER INSERT ON "run_event_logs" FOR EACH ROW EXECUTE FUNCTION notify_run_event();

CREATE TABLE "run_vendor_usage" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "run_id" UUID NOT NULL,
    "vendor" TEXT NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "units" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "cache_hits" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "run_vendor_usage_pkey" PRIMARY KEY ("tenant_id", "run_id", "vendor"),
    CONSTRAINT "run_vendor_usage_run_fkey" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "runs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Daily vendor caps (e.g. APIFY_DAILY_CAP) are checked here before a call.
CREATE TABLE "vendor_daily_usage" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "day" DATE NOT NULL,
    "vendor" TEXT NOT NULL,
    "units" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "calls" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "vendor_daily_usage_pkey" PRIMARY KEY ("tenant_id", "day", "vendor"),
    CONSTRAINT "vendor_daily_usage_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "lead_features" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "uen" TEXT NOT NULL,
    "run_id" UUID,
    "domain" TEXT,
    "domain_source" TEXT,
    "domain_evidence" JSONB NOT NULL DEFAULT '[]',
    "crawl_status" TEXT,
    "crawl_reason" TEXT,
    "tavily_used" BOOLEAN NOT NULL DEFAULT false,
    "content_sha256" TEXT,
    "about_text" TEXT,
    "industry" TEXT,
    "headcount_estimate" INTEGER,
    "products" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "locations" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "phones" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "contacts_status" TEXT,
    "provenance" JSONB NOT NULL DEFAULT '{}',
    "enriched_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lead_features_pkey" PRIMARY KEY ("tenant_id", "uen"),
    CONSTRAINT "lead_features_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "crawl_pages" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "uen" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" INTEGER,
    "title" TEXT,
    "text" TEXT,
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "crawl_pages_pkey" PRIMARY KEY ("tenant_id", "uen", "url"),
    CONSTRAINT "crawl_pages_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "crawl_pages_source_check" CHECK ("source" IN ('crawler', 'tavily'))
);
CREATE INDEX "crawl_pages_tenant_id_fetched_at_idx" ON "crawl_pages"("tenant_id", "fetched_at");

CREATE TABLE "lead_contacts" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "uen" TEXT NOT NULL,
    "full_name" TEXT NOT NULL,
    "title" TEXT,
    "company_current" TEXT,
    "linkedin_url" TEXT NOT NULL,
    "location" TEXT,
    "source" TEXT NOT NULL,
    "provenance" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lead_contacts_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "lead_contacts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "lead_contacts_tenant_id_uen_linkedin_url_key" ON "lead_contacts"("tenant_id", "uen", "linkedin_url");

CREATE TABLE "lead_emails" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "uen" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "contact_id" UUID,
    "source" TEXT NOT NULL,
    "verification_status" TEXT NOT NULL DEFAULT 'pending',
    "sub_status" TEXT,
    "verified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lead_emails_pkey" PRIMARY KEY ("tenant_id", "uen", "email"),
    CONSTRAINT "lead_emails_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "lead_emails_status_check" CHECK ("verification_status" IN ('pending', 'verified', 'invalid', 'catch_all', 'unknown', 'do_not_mail'))
);
CREATE INDEX "lead_emails_tenant_id_verification_status_idx" ON "lead_emails"("tenant_id", "verification_status");

-- ZeroBounce answers, reused for 90 days so an address is paid for once.
CREATE TABLE "email_verifications" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "email" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sub_status" TEXT,
    "checked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "email_verifications_pkey" PRIMARY KEY ("tenant_id", "email"),
    CONSTRAINT "email_verifications_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "lead_scores" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "run_id" UUID NOT NULL,
    "uen" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "bucket" TEXT NOT NULL,
    "breakdown" JSONB NOT NULL,
    "rationale" TEXT NOT NULL,
    "rationale_source" TEXT NOT NULL,
    "contact_weight" DOUBLE PRECISION NOT NULL,
    "verified_contacts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lead_scores_pkey" PRIMARY KEY ("tenant_id", "run_id", "uen"),
    CONSTRAINT "lead_scores_run_fkey" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "runs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "lead_scores_bucket_check" CHECK ("bucket" IN ('High', 'Medium', 'Low')),
    CONSTRAINT "lead_scores_rationale_source_check" CHECK ("rationale_source" IN ('llm', 'cache', 'template'))
);
CREATE INDEX "lead_scores_tenant_id_run_id_score_idx" ON "lead_scores"("tenant_id", "run_id", "score");

CREATE TABLE "rationale_cache" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "cache_key" TEXT NOT NULL,
    "rationale" TEXT NOT NULL,
    "model" TEXT,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "hits" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rationale_cache_pkey" PRIMARY KEY ("tenant_id", "cache_key"),
    CONSTRAINT "rationale_cache_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- LLM tokens per tenant and Singapore day, for the hard daily budget.
CREATE TABLE "token_usage" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "day" DATE NOT NULL,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "calls" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "token_usage_pkey" PRIMARY KEY ("tenant_id", "day"),
    CONSTRAINT "token_usage_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "tenant_settings" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "odoo_push_mode" TEXT NOT NULL DEFAULT 'after_run',
    "daily_token_budget" INTEGER NOT NULL DEFAULT 200000,
    "updated_by_email" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenant_settings_pkey" PRIMARY KEY ("tenant_id"),
    CONSTRAINT "tenant_settings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tenant_settings_odoo_push_mode_check" CHECK ("odoo_push_mode" IN ('after_run', 'on_approval'))
);

CREATE TABLE "suppression_entries" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT,
    "created_by_email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "suppression_entries_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "suppression_entries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "suppression_entries_kind_check" CHECK ("kind" IN ('email', 'domain', 'uen'))
);
CREATE UNIQUE INDEX "suppression_entries_tenant_id_kind_value_key" ON "suppression_entries"("tenant_id", "kind", "value");

-- Which Odoo partner a lead company (and its contacts) became, and what was last sent.
CREATE TABLE "odoo_partner_links" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "uen" TEXT NOT NULL,
    "partner_id" INTEGER NOT NULL,
    "contact_ids" JSONB NOT NULL DEFAULT '{}',
    "pushed_hash" TEXT,
    "run_id" UUID,
    "pushed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "odoo_partner_links_pkey" PRIMARY KEY ("tenant_id", "uen"),
    CONSTRAINT "odoo_partner_links_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "run_qa_checks" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "run_id" UUID NOT NULL,
    "uen" TEXT NOT NULL,
    "checked_by_email" TEXT,
    "verdict" TEXT NOT NULL,
    "notes" TEXT,
    "checked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "run_qa_checks_pkey" PRIMARY KEY ("tenant_id", "run_id", "uen"),
    CONSTRAINT "run_qa_checks_run_fkey" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "runs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "run_qa_checks_verdict_check" CHECK ("verdict" IN ('ok', 'problem'))
);

SELECT enable_tenant_rls('runs');
SELECT enable_tenant_rls('run_companies');
SELECT enable_tenant_rls('run_event_logs');
SELECT enable_tenant_rls('run_vendor_usage');
SELECT enable_tenant_rls('vendor_daily_usage');
SELECT enable_tenant_rls('lead_features');
SELECT enable_tenant_rls('crawl_pages');
SELECT enable_tenant_rls('lead_contacts');
SELECT enable_tenant_rls('lead_emails');
SELECT enable_tenant_rls('email_verifications');
SELECT enable_tenant_rls('lead_scores');
SELECT enable_tenant_rls('rationale_cache');
SELECT enable_tenant_rls('token_usage');
SELECT enable_tenant_rls('tenant_settings');
SELECT enable_tenant_rls('suppression_entries');
SELECT enable_tenant_rls('odoo_partner_links');
SELECT enable_tenant_rls('run_qa_checks');
