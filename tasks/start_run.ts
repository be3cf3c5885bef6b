import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { launchRun } from "../app/runs/start-run.server";
import { tenantIsWorking } from "../app/runs/tenant-gate.server";

/** Refreshes the candidates, picks today's targets and fans out one job per company. */
export default defineTask(
  "start_run",
  { schema: z.object({ tenantId: z.uuid(), runId: z.uuid() }), maxAttempts: 5 },
  async ({ tenantId, runId }, helpers) => {
    if (!(await tenantIsWorking(tenantId, helpers))) return;
    await launchRun(tenantId, runId);
  },
);
