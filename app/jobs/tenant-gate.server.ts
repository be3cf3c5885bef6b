import { type JobHelpers } from "graphile-worker";
import { platformSql } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { addJob } from "./enqueue.server";

/**
 * Jobs of a paused workspace do not run: they are put back for later (same
 * task, payload and key) and resume by themselves when the workspace does.
 * Jobs of a workspace being decommissioned (its data exported, awaiting its
 * purge) or decommissioned are dropped.
 */
const PAUSED_RETRY_MS = 15 * 60 * 1000;

const looking = new Map<string, Promise<string | undefined>>();

/**
 * Every job of a tenant asks, and a worker starts a run's first thousand
 * jobs within seconds: those asking while a look is under way share its
 * answer. A pause landing during that look is as concurrent with them as one
 * landing just after their own look would be; the next look sees it.
 */
function tenantStatus(tenantId: string): Promise<string | undefined> {
  let status = looking.get(tenantId);
  if (!status) {
    // A raw statement, without Prisma's per-query work.
    status = platformSql<{ status: string }>(Prisma.sql`SELECT status FROM tenants WHERE id = ${tenantId}::uuid`)
      .then(([tenant]) => tenant?.status)
      .finally(() => looking.delete(tenantId));
    looking.set(tenantId, status);
  }
  return status;
}

export async function tenantIsWorking(tenantId: string, helpers: JobHelpers): Promise<boolean> {
  const status = await tenantStatus(tenantId);
  if (!status || status === "decommissioning" || status === "decommissioned") return false;
  if (status !== "paused") return true;
  // Under the job's own key (graphile-worker moves a key off a running job to the new one), so
  // re-adds of the same work meanwhile fold into this one instead of piling up.
  await addJob(helpers.job.task_identifier, helpers.job.payload, {
    jobKey: helpers.job.key ?? undefined,
    jobKeyMode: "replace",
    queueName: (await helpers.getQueueName(helpers.job.job_queue_id)) ?? undefined,
    priority: helpers.job.priority,
    runAt: new Date(Date.now() + PAUSED_RETRY_MS),
    maxAttempts: helpers.job.max_attempts,
  });
  helpers.logger.info(`tenant ${tenantId} is paused; job put back for later`);
  return false;
}
