import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { deliverWebhook } from "../app/webhooks/webhooks.server";

/** One attempt of a signed-webhook delivery; a failure throws, so graphile-worker retries it with exponential backoff. */
export default defineTask("deliver_webhook", taskContracts.deliver_webhook, async ({ deliveryId }, helpers) => {
  await deliverWebhook(deliveryId, { attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
});
