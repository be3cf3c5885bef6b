import { sendAlertDigests } from "../app/alerts/delivery.server";
import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";

/** Cron, daily: one email per digest channel with the alerts it held since the last digest. */
export default defineTask("alert_digest", taskContracts.alert_digest, async () => {
  await sendAlertDigests();
});
