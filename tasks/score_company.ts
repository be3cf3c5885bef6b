import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { runScoreCompanyJob } from "../app/runs/company-job.server";
import { tenantIsWorking } from "../app/runs/tenant-gate.server";

/** Score + rationale + persist for one company whose addresses are verified (job key run:<run>:<uen>:score). */
export default defineTask(
  "score_company",
  { schema: z.object({ tenantId: z.uuid(), runId: z.uuid(), uen: z.string().min(1).max(20) }), maxAttempts: 5 },
  async ({ tenantId, runId, uen }, helpers) => {
    if (!(await tenantIsWorking(tenantId, helpers))) return;
    await runScoreCompanyJob(tenantId, runId, uen);
  },
);
