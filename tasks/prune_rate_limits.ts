import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { pruneRateLimitCounters } from "../app/http/rate-limit.server";

/** Cron, hourly: drop the request counters of windows that ended (they decide nothing any more). */
export default defineTask(
  "prune_rate_limits",
  { schema: z.object({ olderThanMinutes: z.number().int().positive().default(10) }).passthrough(), maxAttempts: 3 },
  async ({ olderThanMinutes }) => {
    await pruneRateLimitCounters(olderThanMinutes);
  },
);
