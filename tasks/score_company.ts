import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { runScoreCompanyJob } from "../app/runs/company-job.server";

/** Score + rationale + persist for one company whose addresses are verified (job key run:<run>:<uen>:score). */
export default defineTask("score_company", { ...taskContracts.score_company, heldWhileTenantPaused: true }, async ({ tenantId, runId, uen }) => {
  await runScoreCompanyJob(tenantId, runId, uen);
});
