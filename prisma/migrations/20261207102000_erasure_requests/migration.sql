-- Data-subject erasures: one row per deletion request of a workspace, the
-- person's identifiers as the search found them, which steps of the job are
-- done (so a retried job resumes after the last one) and what each step
-- erased. The receipt goes into the audit log when the last step is done.
CREATE TABLE "erasure_requests" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "query" TEXT NOT NULL,
    -- { emails, names, linkedinUrls, contactIds, lakeContactIds, partnerIds }
    "identifiers" JSONB NOT NULL,
    -- rows per kind of record at the time of the request
    "found" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "steps_done" TEXT[] NOT NULL DEFAULT '{}',
    -- rows deleted or anonymised per kind of record, filled step by step
    "erased" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "requested_by_sub" TEXT NOT NULL,
    "requested_by_email" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "erasure_requests_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "erasure_requests_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "erasure_requests_status_check" CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed'))
);
CREATE INDEX "erasure_requests_tenant_id_requested_at_idx" ON "erasure_requests"("tenant_id", "requested_at");

SELECT enable_tenant_rls('erasure_requests');

-- A person's LinkedIn profile can be suppressed too (an erased contact's is): the
-- contact vendors find people by it, so a run never collects that person again.
ALTER TABLE "suppression_entries" DROP CONSTRAINT "suppression_entries_kind_check";
ALTER TABLE "suppression_entries" ADD CONSTRAINT "suppression_entries_kind_check" CHECK ("kind" IN ('email', 'domain', 'uen', 'linkedin'));
