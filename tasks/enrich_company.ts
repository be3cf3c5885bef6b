import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { runEnrichCompanyJob } from "../app/runs/company-job.server";
import { tenantIsWorking } from "../app/runs/tenant-gate.server";

/** One company of a run (job key run:<run>:<uen>): enrichment, then scoring or email verification. */
export default defineTask(
  "enrich_company",
  { schema: z.object({ tenantId: z.uuid(), runId: z.uuid(), uen: z.string().min(1).max(20) }), maxAttempts: 3 },
  async ({ tenantId, runId, uen }, helpers) => {
    if (!(await tenantIsWorking(tenantId, helpers))) return;
    await runEnrichCompanyJob({ tenantId, runId, uen, attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts, jobId: helpers.job.id, workerId: helpers.job.locked_by });
  },
);
