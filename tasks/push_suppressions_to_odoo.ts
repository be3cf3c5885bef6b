import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { pushSuppressionsToOdoo } from "../app/odoo/suppression-push.server";

/** After a change to a workspace's suppressed addresses: Odoo's mail.blacklist follows. */
export default defineTask(
  "push_suppressions_to_odoo",
  { ...taskContracts.push_suppressions_to_odoo, heldWhileTenantPaused: true },
  async ({ tenantId, removed }) => {
    await pushSuppressionsToOdoo(tenantId, removed);
  },
);
