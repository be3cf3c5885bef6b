import { type JobHelpers } from "graphile-worker";
import { db } from "../db.server";
import { type LakeSource } from "./pipeline";
import { sourceKit } from "./sources.server";
import { runSync } from "./sync-runner.server";

/** The worker's side of one sync: builds the source's kit for the tenant and runs the sync, resuming where an earlier attempt stopped. */
export async function syncLakeSourceJob(tenantId: string, syncRunId: string, helpers: Pick<JobHelpers, "job">): Promise<void> {
  const run = await db.$withTenant(tenantId, (tx) =>
    tx.lakeSyncRun.findUnique({ where: { tenantId_id: { tenantId, id: syncRunId } }, select: { source: true } }),
  );
  if (!run) return;
  const finalAttempt = helpers.job.attempts >= helpers.job.max_attempts;
  const kit = await sourceKit(tenantId, run.source as LakeSource);
  await runSync(tenantId, syncRunId, kit, { finalAttempt });
}
