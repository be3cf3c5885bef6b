-- The company page reads a company's latest score across runs, and the
-- shortlist looks for newer re-enrich scores of its companies; the primary key
-- (tenant_id, run_id, uen) cannot answer "by UEN" without scanning every run.
CREATE INDEX "lead_scores_tenant_id_uen_idx" ON "lead_scores"("tenant_id", "uen");
