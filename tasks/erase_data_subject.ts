import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { eraseDataSubject } from "../app/privacy/erasure.server";

/** A deletion request: erases the person step by step, resuming after the steps an earlier attempt finished. */
export default defineTask("erase_data_subject", { ...taskContracts.erase_data_subject, heldWhileTenantPaused: true }, async ({ tenantId, requestId }) => {
  await eraseDataSubject(tenantId, requestId);
});
