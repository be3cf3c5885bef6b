import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { sweepNightlyRuns } from "../app/runs/nightly-sweep.server";

/** Cron, hourly: starts the nightly runs due this Singapore hour. */
export default defineTask("nightly_sweep", taskContracts.nightly_sweep, async () => {
  await sweepNightlyRuns();
});
