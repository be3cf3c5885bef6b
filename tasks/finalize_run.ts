import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { finalizeRun } from "../app/runs/finalize-run.server";
import { tenantIsWorking } from "../app/runs/tenant-gate.server";

/** Figures, checks, QA sample and the Odoo push of a run whose companies have all settled. */
export default defineTask(
  "finalize_run",
  { schema: z.object({ tenantId: z.uuid(), runId: z.uuid() }), maxAttempts: 5 },
  async ({ tenantId, runId }, helpers) => {
    if (!(await tenantIsWorking(tenantId, helpers))) return;
    await finalizeRun(tenantId, runId);
  },
);
