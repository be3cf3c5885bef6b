import { type JobHelpers } from "graphile-worker";
import { db } from "../db.server";
import { type LakeSource } from "./pipeline";
import { sourceKit, SourceNotConnectedError, SourceUnavailableError } from "./sources.server";
import { failSyncRun, runSync } from "./sync-runner.server";

/** The worker's side of one sync: builds the source's kit for the tenant and runs the sync, resuming where an earlier attempt stopped. */
export async function syncLakeSourceJob(tenantId: string, syncRunId: string, helpers: Pick<JobHelpers, "job">): Promise<void> {
  const run = await db.$withTenant(tenantId, (tx) =>
    tx.lakeSyncRun.findUnique({ where: { tenantId_id: { tenantId, id: syncRunId } }, select: { source: true } }),
  );
  if (!run) return;
  const finalAttempt = helpers.job.attempts >= helpers.job.max_attempts;
  let kit;
  try {
    kit = await sourceKit(tenantId, run.source as LakeSource);
  } catch (error) {
    // A source that cannot be reached at all would leave the run queued forever and block the next one.
    if (!(error instanceof SourceNotConnectedError || error instanceof SourceUnavailableError) && !finalAttempt) throw error;
    await failSyncRun(tenantId, syncRunId, error instanceof Error ? error.message : String(error));
    return;
  }
  await runSync(tenantId, syncRunId, kit, { finalAttempt });
}
