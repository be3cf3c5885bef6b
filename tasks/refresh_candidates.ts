import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { icpConfigFrom, icpEnv } from "../app/icp/config";
import { refreshCandidates } from "../app/icp/candidates.server";

/**
 * Rebuilds one tenant's candidate set. Enqueued after every ICP change (job
 * key per tenant, so a burst of edits makes one refresh) and before nightly runs.
 */
export default defineTask(
  "refresh_candidates",
  { schema: z.object({ tenantId: z.string().uuid(), reason: z.string().min(1).max(200) }), maxAttempts: 5 },
  async ({ tenantId, reason }) => {
    const config = icpConfigFrom(icpEnv.parse(process.env));
    await refreshCandidates(tenantId, { reason, floor: config.candidateFloor });
  },
);
