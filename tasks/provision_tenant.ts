import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { runProvisioning } from "../app/tenants/provisioning.server";

/**
 * Provisions one workspace (job key provision:<tenant>). A failed phase is
 * recorded with its message before the job throws, so the setup screen shows
 * it at once; graphile-worker then retries with back-off, resuming at that
 * phase, and the user or an operator can retry sooner. Not held while the
 * tenant is paused: pausing applies to workspaces whose provisioning is over.
 */
export default defineTask("provision_tenant", taskContracts.provision_tenant, async ({ tenantId, actor }) => {
  await runProvisioning(tenantId, actor);
});
