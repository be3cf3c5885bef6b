import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { launchRun } from "../app/runs/start-run.server";

/** Refreshes the candidates, picks today's targets and fans out one job per company. */
export default defineTask("start_run", { ...taskContracts.start_run, heldWhileTenantPaused: true }, async ({ tenantId, runId }) => {
  await launchRun(tenantId, runId);
});
