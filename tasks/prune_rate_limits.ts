import { pruneRateLimitCounters } from "../app/http/rate-limit.server";
import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";

/** Cron, hourly: drop the request counters of windows that ended (they decide nothing any more). */
export default defineTask("prune_rate_limits", taskContracts.prune_rate_limits, async ({ olderThanMinutes }) => {
  await pruneRateLimitCounters(olderThanMinutes);
});
