import { type TenantTx } from "~/db.server";
import { sourceFreshness, type Freshness } from "./freshness";
import { CANONICAL_KINDS, LAKE_SOURCES, type CanonicalKind, type LakeSource } from "./pipeline";

/** A tenant's lake at a glance: how much each zone holds, and how current and healthy each source is. */

/** Minutes a source may go without a successful sync before it is stale, until the tenant sets its own. */
const DEFAULT_FRESHNESS_SLA_MINUTES = 120;

/** How many of the last run's rejects the stats list (the run's count says how many there are in all). */
const REJECTS_SHOWN = 20;

export type LastRun = {
  id: string;
  source: LakeSource;
  mode: string;
  status: string;
  error: string | null;
  rejected: number;
  startedAt: Date | null;
  finishedAt: Date | null;
};

export type LakeStats = {
  canonical: Record<CanonicalKind, { live: number; deleted: number }>;
  raw: { rows: number; bytes: number; bySource: Array<{ source: LakeSource; rows: number; bytes: number }> };
  lastRuns: Array<LastRun & { rejects: SyncReject[] }>;
};

function lastRuns(tx: TenantTx): Promise<LastRun[]> {
  return tx.$queryRaw<LastRun[]>`
    SELECT DISTINCT ON (source) id, source, mode, status, error, rejected, started_at AS "startedAt", finished_at AS "finishedAt"
    FROM lake_sync_runs ORDER BY source, created_at DESC`;
}

export async function lakeStats(tx: TenantTx): Promise<LakeStats> {
  const counts = await tx.$queryRaw<Array<{ kind: CanonicalKind; live: number; deleted: number }>>`
    SELECT 'user' AS kind, count(*) FILTER (WHERE deleted_at IS NULL)::int AS live, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS deleted FROM lake_users
    UNION ALL SELECT 'team', count(*) FILTER (WHERE deleted_at IS NULL)::int, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int FROM lake_teams
    UNION ALL SELECT 'account', count(*) FILTER (WHERE deleted_at IS NULL)::int, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int FROM lake_accounts
    UNION ALL SELECT 'contact', count(*) FILTER (WHERE deleted_at IS NULL)::int, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int FROM lake_contacts
    UNION ALL SELECT 'opportunity', count(*) FILTER (WHERE deleted_at IS NULL)::int, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int FROM lake_opportunities
    UNION ALL SELECT 'activity', count(*) FILTER (WHERE deleted_at IS NULL)::int, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int FROM lake_activities`;
  const canonical = Object.fromEntries(CANONICAL_KINDS.map((kind) => [kind, { live: 0, deleted: 0 }])) as LakeStats["canonical"];
  for (const { kind, live, deleted } of counts) canonical[kind] = { live, deleted };
  // The stored size of the payloads: what the raw zone costs this tenant (the table's size would count every tenant).
  const bySource = await tx.$queryRaw<Array<{ source: LakeSource; rows: number; bytes: number }>>`
    SELECT source, count(*)::int AS rows, coalesce(sum(pg_column_size(payload)), 0)::float8 AS bytes
    FROM lake_raw_records GROUP BY source ORDER BY source`;
  const runs = await lastRuns(tx);
  const rejects = await runRejects(
    tx,
    runs.map((run) => run.id),
  );
  return {
    canonical,
    raw: { rows: bySource.reduce((sum, s) => sum + s.rows, 0), bytes: bySource.reduce((sum, s) => sum + s.bytes, 0), bySource },
    lastRuns: runs.map((run) => ({ ...run, rejects: rejects.get(run.id) ?? [] })),
  };
}

export type SyncReject = { entity: string; sourceId: string; reason: string };

/** The first rejects of each run, by run id (the run's `rejected` count says how many there are in all). */
export async function runRejects(tx: TenantTx, runIds: string[]): Promise<Map<string, SyncReject[]>> {
  const rows = await tx.$queryRaw<Array<SyncReject & { runId: string }>>`
    SELECT r.sync_run_id AS "runId", x.entity, x.source_id AS "sourceId", x.reason
    FROM unnest(${runIds}::uuid[]) AS r(sync_run_id)
    CROSS JOIN LATERAL (
      SELECT entity, source_id, reason FROM lake_sync_rejects j WHERE j.sync_run_id = r.sync_run_id ORDER BY j.id LIMIT ${REJECTS_SHOWN}
    ) x`;
  const byRun = new Map<string, SyncReject[]>();
  for (const { runId, ...reject } of rows) byRun.set(runId, [...(byRun.get(runId) ?? []), reject]);
  return byRun;
}

export type SourceHealth = {
  source: LakeSource;
  /** The connection as last checked; `not_connected` also for a source never set up. */
  status: string;
  statusDetail: string | null;
  enabled: boolean;
  lastSuccessAt: Date | null;
  freshnessSlaMinutes: number;
  freshness: Freshness;
  ageMinutes: number | null;
  lastRun: LastRun | null;
};

/** Every source the lake knows, set up or not, so a page can offer to connect the missing ones. */
export async function lakeHealth(tx: TenantTx, now = new Date()): Promise<SourceHealth[]> {
  const configured = await tx.lakeSource.findMany({
    select: { source: true, status: true, statusDetail: true, enabled: true, lastSuccessAt: true, freshnessSlaMinutes: true },
  });
  const runs = await lastRuns(tx);
  return LAKE_SOURCES.map((source) => {
    const row = configured.find((c) => c.source === source);
    const sla = row?.freshnessSlaMinutes ?? DEFAULT_FRESHNESS_SLA_MINUTES;
    return {
      source,
      status: row?.status ?? "not_connected",
      statusDetail: row?.statusDetail ?? null,
      enabled: row?.enabled ?? false,
      lastSuccessAt: row?.lastSuccessAt ?? null,
      freshnessSlaMinutes: sla,
      ...sourceFreshness(row?.lastSuccessAt ?? null, sla, now),
      lastRun: runs.find((run) => run.source === source) ?? null,
    };
  });
}
