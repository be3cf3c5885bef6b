import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { log } from "../app/logger.server";
import { applyRunPush, approveRunPush } from "../app/odoo/lead-push.server";

/**
 * Pushes a finished run's leads into the tenant's Odoo (job key
 * `odoo-push:<runId>`). Safe to retry from any point: the push converges on
 * the same partners. With `approvedBy` it first records the approval.
 */
export default defineTask("push_run_to_odoo", { ...taskContracts.push_run_to_odoo, heldWhileTenantPaused: true }, async ({ tenantId, runId, approvedBy }) => {
  const result = approvedBy ? await approveRunPush(tenantId, runId, approvedBy) : await applyRunPush(tenantId, runId);
  if (result.status === "partial") log().warn({ runId, companies: result.companies }, "odoo push left some companies out; the next push retries them");
});
