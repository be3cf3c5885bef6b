import { env } from "../app/env.server";
import { refreshCandidates } from "../app/icp/candidates.server";
import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";

/**
 * Rebuilds one tenant's candidate set. Enqueued after every ICP change (job
 * key per tenant, so a burst of edits makes one refresh) and before nightly runs.
 */
export default defineTask("refresh_candidates", { ...taskContracts.refresh_candidates, heldWhileTenantPaused: true }, async ({ tenantId, reason }) => {
  await refreshCandidates(tenantId, { reason, floor: env().ICP_CANDIDATE_FLOOR });
});
