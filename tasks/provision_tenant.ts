import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { runProvisioning } from "../app/tenants/provisioning.server";

/**
 * Provisions one workspace (job key provision:<tenant>). A failed phase is
 * recorded with its message before the job throws, so the setup screen shows
 * it at once; graphile-worker then retries with back-off, resuming at that
 * phase, and the user or an operator can retry sooner.
 */
export default defineTask(
  "provision_tenant",
  {
    schema: z.object({
      tenantId: z.uuid(),
      actor: z.object({ sub: z.string().min(1), email: z.string().nullable().optional() }),
    }),
    maxAttempts: 5,
  },
  async ({ tenantId, actor }) => {
    await runProvisioning(tenantId, actor);
  },
);
