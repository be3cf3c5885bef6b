import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { finalizeRun } from "../app/runs/finalize-run.server";

/** Figures, checks, QA sample and the Odoo push of a run whose companies have all settled. */
export default defineTask("finalize_run", { ...taskContracts.finalize_run, heldWhileTenantPaused: true }, async ({ tenantId, runId }) => {
  await finalizeRun(tenantId, runId);
});
