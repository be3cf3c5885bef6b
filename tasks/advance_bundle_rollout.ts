import { advanceRollout } from "../app/catalog/rollouts.server";
import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";

/**
 * Moves a bundle rollout on (job key rollout:<id>, one queue per rollout):
 * records its operations' outcomes, starts the next wave, or finishes it.
 * Platform work: its payload names the rollout, not a tenant.
 */
export default defineTask("advance_bundle_rollout", taskContracts.advance_bundle_rollout, async ({ rolloutId }) => {
  await advanceRollout(rolloutId);
});
