import { type TenantTx } from "~/db.server";
import { env } from "~/env.server";
import { Prisma } from "~/generated/prisma/client";
import { type FeedPosition } from "./feed-cursor";
import { lakeHealth, runRejects, type SourceHealth, type SyncReject } from "./lake-status.server";
import { type LakeSource, type SyncMode } from "./pipeline";
import { requestSyncIn, type RequestedSync, type SyncTrigger } from "./sync-requests.server";

/**
 * The sync side of a tenant's lake: whether each source can be synced, the
 * sync in progress and the last one finished, the run history page by page,
 * and asking for a sync by hand.
 */

export type SyncRunView = {
  id: string;
  source: LakeSource;
  mode: SyncMode;
  trigger: SyncTrigger;
  status: string;
  /** The source entity being loaded while the run is running. */
  entity: string | null;
  fetched: number;
  rawInserted: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  rejected: number;
  missingFields: string[];
  error: string | null;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

const RUN_COLUMNS = Prisma.sql`
  id, source, mode, trigger, status, entity, fetched, raw_inserted AS "rawInserted", inserted, updated, deleted, unchanged, rejected,
  missing_fields AS "missingFields", error, requested_by AS "requestedBy", created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

export const ACTIVE_SYNC_STATUSES = ["queued", "running"] as const;

export function isSyncActive(status: string): boolean {
  return (ACTIVE_SYNC_STATUSES as readonly string[]).includes(status);
}

/** Why a source cannot be synced, or null when it can. */
export async function sourceUnconnectedReason(tx: TenantTx, source: LakeSource): Promise<string | null> {
  if (source === "odoo") {
    // The lake reads Odoo through the workspace's own integration user.
    const connection = await tx.odooConnection.findFirst({ select: { tenantId: true } });
    return connection ? null : "This workspace has no Odoo connection yet";
  }
  const m365 = await tx.lakeSource.findFirst({ where: { source }, select: { directoryId: true, clientId: true, secretCipher: true } });
  if (!m365?.directoryId) return "Microsoft 365 is not connected: no Microsoft Entra directory is linked to this workspace";
  // The workspace's own app registration, or the platform's, which the directory's admin consented to.
  const platformApp = Boolean(env().MS_CLIENT_ID && env().MS_CLIENT_SECRET);
  return (m365.clientId && m365.secretCipher) || platformApp
    ? null
    : "Microsoft 365 is not connected: no Microsoft Entra app registration is configured (MS_CLIENT_ID and MS_CLIENT_SECRET)";
}

export type SourceSyncStatus = Omit<SourceHealth, "lastRun"> & {
  connected: boolean;
  /** What keeps an unconnected source from syncing. */
  connectionProblem: string | null;
  activeRun: SyncRunView | null;
  lastFinishedRun: SyncRunView | null;
};

/** Every source of the lake: its connection, freshness, the sync queued or running and the last one that ended. */
export async function syncStatus(tx: TenantTx, now = new Date()): Promise<SourceSyncStatus[]> {
  const health = await lakeHealth(tx, now);
  const active = await tx.$queryRaw<SyncRunView[]>`
    SELECT DISTINCT ON (source) ${RUN_COLUMNS} FROM lake_sync_runs
    WHERE status IN ('queued', 'running') ORDER BY source, created_at DESC`;
  const finished = await tx.$queryRaw<SyncRunView[]>`
    SELECT DISTINCT ON (source) ${RUN_COLUMNS} FROM lake_sync_runs
    WHERE status NOT IN ('queued', 'running') ORDER BY source, created_at DESC`;
  return Promise.all(
    health.map(async ({ lastRun: _lastRun, ...source }) => {
      const connectionProblem = await sourceUnconnectedReason(tx, source.source);
      return {
        ...source,
        // Odoo counts as connected from the workspace's Odoo connection, before the scheduler first records it.
        status: !connectionProblem && source.status === "not_connected" ? "connected" : source.status,
        connected: !connectionProblem,
        connectionProblem,
        activeRun: active.find((run) => run.source === source.source) ?? null,
        lastFinishedRun: finished.find((run) => run.source === source.source) ?? null,
      };
    }),
  );
}

export const SYNC_HISTORY_MAX = 100;

export type SyncHistoryPage = { runs: Array<SyncRunView & { rejects: SyncReject[] }>; next: { at: Date; id: string } | null };

/** Sync runs newest first, after `cursor` (the created-at and id of the previous page's last run), each with its first rejects. */
export async function syncHistory(tx: TenantTx, query: { source?: LakeSource | null; cursor?: FeedPosition | null; limit: number }): Promise<SyncHistoryPage> {
  const where = [Prisma.sql`TRUE`];
  if (query.source) where.push(Prisma.sql`source = ${query.source}`);
  if (query.cursor) where.push(Prisma.sql`(created_at, id) < (${query.cursor.at}::timestamptz, ${query.cursor.id}::uuid)`);
  const rows = await tx.$queryRaw<SyncRunView[]>`
    SELECT ${RUN_COLUMNS} FROM lake_sync_runs WHERE ${Prisma.join(where, " AND ")}
    ORDER BY created_at DESC, id DESC LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  const rejects = await runRejects(
    tx,
    page.filter((run) => run.rejected > 0).map((run) => run.id),
  );
  const last = page.at(-1);
  return {
    runs: page.map((run) => ({ ...run, rejects: rejects.get(run.id) ?? [] })),
    next: rows.length > query.limit && last ? { at: last.createdAt, id: last.id } : null,
  };
}

export class SourceNotConnectedError extends Error {
  constructor(
    readonly source: LakeSource,
    reason: string,
  ) {
    super(reason);
    this.name = "SourceNotConnectedError";
  }
}

/**
 * A sync asked for by a person (the page or the API): refused for a source
 * the workspace has not connected; otherwise queued, or the one already
 * queued or running is returned.
 */
export async function triggerSync(
  tx: TenantTx,
  tenantId: string,
  request: { source: LakeSource; mode: SyncMode; trigger: Extract<SyncTrigger, "manual" | "api">; requestedBy: string },
): Promise<RequestedSync> {
  const reason = await sourceUnconnectedReason(tx, request.source);
  if (reason) throw new SourceNotConnectedError(request.source, reason);
  // The scheduler records Odoo as a source on its next sweep; a sync asked for before that records it now.
  await tx.$executeRaw`
    INSERT INTO lake_sources (source, status, connected_at) VALUES (${request.source}, 'connected', CURRENT_TIMESTAMP)
    ON CONFLICT (tenant_id, source) DO NOTHING`;
  return requestSyncIn(tx, tenantId, request);
}
