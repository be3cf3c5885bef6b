import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { syncOdooMember } from "../app/tenants/provisioning.server";

/** A user who joins a workspace after it was set up gets their pre-linked Odoo user too. */
export default defineTask("sync_odoo_member", { ...taskContracts.sync_odoo_member, heldWhileTenantPaused: true }, async ({ tenantId, userId }) => {
  await syncOdooMember(tenantId, userId);
});
