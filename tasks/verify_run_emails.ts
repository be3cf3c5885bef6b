import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { runVerifyEmailsJob } from "../app/runs/company-job.server";

/** Verifies a run's pending addresses in batches of 200, then scores the companies they settle. */
export default defineTask("verify_run_emails", { ...taskContracts.verify_run_emails, heldWhileTenantPaused: true }, async ({ tenantId, runId }) => {
  await runVerifyEmailsJob(tenantId, runId);
});
