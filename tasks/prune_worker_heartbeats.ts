import { defineTask } from "../app/jobs/define-task.server";
import { pruneWorkerHeartbeats } from "../app/jobs/heartbeat.server";
import { taskContracts } from "../app/jobs/payloads";

/** Cron: forget workers that stopped a long time ago, so /readyz and the admin pages list live ones. */
export default defineTask("prune_worker_heartbeats", taskContracts.prune_worker_heartbeats, async ({ olderThanHours }) => {
  await pruneWorkerHeartbeats(olderThanHours);
});
