import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { runEnrichCompanyJob } from "../app/runs/company-job.server";

/** One company of a run (job key run:<run>:<uen>): enrichment, then scoring or email verification. */
export default defineTask("enrich_company", { ...taskContracts.enrich_company, heldWhileTenantPaused: true }, async ({ tenantId, runId, uen }, helpers) => {
  await runEnrichCompanyJob({
    tenantId,
    runId,
    uen,
    attempt: helpers.job.attempts,
    maxAttempts: helpers.job.max_attempts,
    jobId: helpers.job.id,
    workerId: helpers.job.locked_by,
  });
});
