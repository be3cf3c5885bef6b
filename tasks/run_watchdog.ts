import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { watchRuns } from "../app/runs/watchdog.server";

/** Cron, every five minutes: finalizes settled runs and resumes stalled companies. */
export default defineTask("run_watchdog", { schema: z.object({}).passthrough(), maxAttempts: 1 }, async () => {
  await watchRuns();
});
