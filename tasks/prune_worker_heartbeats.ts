import { z } from "zod";
import { pruneWorkerHeartbeats } from "../app/jobs/heartbeat.server";
import { defineTask } from "../app/jobs/define-task.server";

/** Cron: forget workers that stopped a long time ago, so /readyz and the admin pages list live ones. */
export default defineTask(
  "prune_worker_heartbeats",
  { schema: z.object({ olderThanHours: z.number().int().positive().default(24) }).passthrough(), maxAttempts: 3 },
  async ({ olderThanHours }) => {
    await pruneWorkerHeartbeats(olderThanHours);
  },
);
