import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { runVerifyEmailsJob } from "../app/runs/company-job.server";
import { tenantIsWorking } from "../app/runs/tenant-gate.server";

/** Verifies a run's pending addresses in batches of 200, then scores the companies they settle. */
export default defineTask(
  "verify_run_emails",
  { schema: z.object({ tenantId: z.uuid(), runId: z.uuid() }), maxAttempts: 5 },
  async ({ tenantId, runId }, helpers) => {
    if (!(await tenantIsWorking(tenantId, helpers))) return;
    await runVerifyEmailsJob(tenantId, runId);
  },
);
