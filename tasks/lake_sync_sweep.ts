import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { sweepLakeSyncs } from "../app/lake/sync-sweep.server";

/** Cron, every five minutes: queues the lake syncs that are due. */
export default defineTask("lake_sync_sweep", taskContracts.lake_sync_sweep, async () => {
  await sweepLakeSyncs();
});
