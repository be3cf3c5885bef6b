-- Support requests a tenant's admin files from the tenant portal; platform
-- operators read every tenant's, move them open → in_progress → resolved and
-- reply. The workspace (RLS-bound application role) files and reads its own;
-- only the platform client changes a request's status or reply.
CREATE TABLE "support_requests" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "subject" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "requested_by_sub" TEXT NOT NULL,
    "requested_by_email" TEXT,
    "reply" TEXT,
    "handled_by_email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    CONSTRAINT "support_requests_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "support_requests_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "support_requests_category_check" CHECK ("category" IN ('billing', 'sso', 'modules', 'data', 'other')),
    CONSTRAINT "support_requests_severity_check" CHECK ("severity" IN ('low', 'normal', 'high', 'urgent')),
    CONSTRAINT "support_requests_status_check" CHECK ("status" IN ('open', 'in_progress', 'resolved')),
    -- A resolved request says how: the operator's reply goes back to the tenant.
    CONSTRAINT "support_requests_resolved_check" CHECK ("status" <> 'resolved' OR ("reply" IS NOT NULL AND "resolved_at" IS NOT NULL))
);
CREATE INDEX "support_requests_tenant_id_created_at_idx" ON "support_requests"("tenant_id", "created_at");
-- The operators' queue: every tenant's requests by status, newest first.
CREATE INDEX "support_requests_status_created_at_idx" ON "support_requests"("status", "created_at");

SELECT enable_tenant_rls('support_requests');

-- The workspace files and reads; the status and the reply are the operators'.
REVOKE UPDATE, DELETE ON "support_requests" FROM nexius_app;
