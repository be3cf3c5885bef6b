import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { runOperation } from "../app/tenants/operations.server";

/**
 * Runs one lifecycle operation of a tenant (job key operation:<id>, one queue
 * per tenant). Its payload names the operation, not the tenant: it is platform
 * work and must run while the tenant is paused (a resume is one).
 */
export default defineTask("run_tenant_operation", taskContracts.run_tenant_operation, async ({ operationId }) => {
  await runOperation(operationId);
});
