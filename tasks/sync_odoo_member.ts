import { z } from "zod";
import { defineTask } from "../app/jobs/define-task.server";
import { syncOdooMember } from "../app/tenants/provisioning.server";
import { tenantIsWorking } from "../app/runs/tenant-gate.server";

/** A user who joins a workspace after it was set up gets their pre-linked Odoo user too. */
export default defineTask(
  "sync_odoo_member",
  { schema: z.object({ tenantId: z.uuid(), userId: z.uuid() }), maxAttempts: 5 },
  async ({ tenantId, userId }, helpers) => {
    if (!(await tenantIsWorking(tenantId, helpers))) return;
    await syncOdooMember(tenantId, userId);
  },
);
