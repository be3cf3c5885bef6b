import { defineTask } from "../app/jobs/define-task.server";
import { log } from "../app/logger.server";
import { applyRunPush, approveRunPush, runPushPayloadSchema } from "../app/odoo/lead-push.server";
import { tenantIsWorking } from "../app/runs/tenant-gate.server";

/**
 * Pushes a finished run's leads into the tenant's Odoo (job key
 * `odoo-push:<runId>`). Safe to retry from any point: the push converges on
 * the same partners. With `approvedBy` it first records the approval.
 */
export default defineTask("push_run_to_odoo", { schema: runPushPayloadSchema, maxAttempts: 8 }, async ({ tenantId, runId, approvedBy }, helpers) => {
  if (!(await tenantIsWorking(tenantId, helpers))) return;
  const result = approvedBy ? await approveRunPush(tenantId, runId, approvedBy) : await applyRunPush(tenantId, runId);
  if (result.status === "partial") log().warn({ runId, companies: result.companies }, "odoo push left some companies out; the next push retries them");
});
