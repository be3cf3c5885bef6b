import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { sweepRetention } from "../app/retention/retention-sweep.server";

/** Cron, daily: removes what is past each workspace's retention windows, in batches, and records each class's sweep. */
export default defineTask("retention_sweep", taskContracts.retention_sweep, async ({ batchSize }) => {
  await sweepRetention({ batchSize });
});
