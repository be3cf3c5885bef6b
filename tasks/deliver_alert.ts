import { deliverAlert } from "../app/alerts/delivery.server";
import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";

/** Queued with each new alert: hands it to the workspace's and the platform's alert channels. */
export default defineTask("deliver_alert", taskContracts.deliver_alert, async ({ tenantId, alertId }) => {
  await deliverAlert(tenantId, alertId);
});
