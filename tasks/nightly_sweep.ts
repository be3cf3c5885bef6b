import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { sweepNightlyRuns } from "../app/runs/nightly-sweep.server";

/** Cron, hourly: starts the nightly runs due this Singapore hour. */
export default defineTask("nightly_sweep", { schema: z.object({}).passthrough(), maxAttempts: 3 }, async () => {
  await sweepNightlyRuns();
});
