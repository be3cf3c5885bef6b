import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { watchRuns } from "../app/runs/watchdog.server";

/** Cron, every five minutes: finalizes settled runs and resumes stalled companies. */
export default defineTask("run_watchdog", taskContracts.run_watchdog, async () => {
  await watchRuns();
});
