import { db, type TenantTx } from "../db.server";
import { enqueue } from "../jobs/enqueue.server";
import { type LakeSource, type SyncMode } from "./pipeline";

export type SyncTrigger = "schedule" | "manual" | "api" | "cli";

export type SyncRequest = {
  source: LakeSource;
  mode: SyncMode;
  trigger: SyncTrigger;
  requestedBy?: string | null;
  /** False when the caller runs the sync itself (the `npm run sync` command) instead of the worker. */
  queue?: boolean;
};

export type RequestedSync = {
  syncRunId: string;
  /** A sync of this source was already queued or running; that one is returned instead of a second. */
  alreadyActive: boolean;
};

/**
 * Queues a sync of one source for a tenant. One sync per tenant and source at
 * a time: while one is queued or running, asking again returns it.
 */
export async function requestSync(tenantId: string, request: SyncRequest): Promise<RequestedSync> {
  return db.$withTenant(tenantId, (tx) => requestSyncIn(tx, tenantId, request));
}

export async function requestSyncIn(tx: TenantTx, tenantId: string, request: SyncRequest): Promise<RequestedSync> {
  const created = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO lake_sync_runs (source, mode, trigger, requested_by)
    VALUES (${request.source}, ${request.mode}, ${request.trigger}, ${request.requestedBy ?? null})
    ON CONFLICT (tenant_id, source) WHERE status IN ('queued', 'running') DO NOTHING
    RETURNING id`;
  if (created[0]) {
    if (request.queue === false) return { syncRunId: created[0].id, alreadyActive: false };
    await enqueue("sync_lake_source", { tenantId, syncRunId: created[0].id }, { tx, jobKey: `lake_sync:${tenantId}:${request.source}` });
    return { syncRunId: created[0].id, alreadyActive: false };
  }
  const active = await tx.lakeSyncRun.findFirstOrThrow({
    where: { source: request.source, status: { in: ["queued", "running"] } },
    select: { id: true },
  });
  return { syncRunId: active.id, alreadyActive: true };
}
