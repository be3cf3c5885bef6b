import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { syncLakeSourceJob } from "../app/lake/sync-job.server";

/** One sync of one lake source for one tenant; a retried job resumes from the run's last loaded page. */
export default defineTask("sync_lake_source", { ...taskContracts.sync_lake_source, heldWhileTenantPaused: true }, async ({ tenantId, syncRunId }, helpers) => {
  await syncLakeSourceJob(tenantId, syncRunId, helpers);
});
