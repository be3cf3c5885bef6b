import { z } from "zod";
import { env } from "../app/env.server";
import { defineTask } from "../app/jobs/define-task.server";
import { refreshCandidates } from "../app/icp/candidates.server";
import { tenantIsWorking } from "../app/runs/tenant-gate.server";

/**
 * Rebuilds one tenant's candidate set. Enqueued after every ICP change (job
 * key per tenant, so a burst of edits makes one refresh) and before nightly runs.
 */
export default defineTask(
  "refresh_candidates",
  { schema: z.object({ tenantId: z.string().uuid(), reason: z.string().min(1).max(200) }), maxAttempts: 5 },
  async ({ tenantId, reason }, helpers) => {
    if (!(await tenantIsWorking(tenantId, helpers))) return;
    await refreshCandidates(tenantId, { reason, floor: env().ICP_CANDIDATE_FLOOR });
  },
);
