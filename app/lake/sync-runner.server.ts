import { resolveAlerts } from "../alerts/alerts.server";
import { db, type TenantTx } from "../db.server";
import { log } from "../logger.server";
import { withLakeScope } from "./hierarchy.server";
import { loadSourcePage, type PageOutcome } from "./page-loader.server";
import { ReferencePayloads } from "./page-scope.server";
import { ZERO_COUNTS, type LakeSource, type SourceConnector, type SourceMapper, type SourceRecord, type SyncCounts, type SyncMode } from "./pipeline";
import { WHOLE_TENANT } from "./serving-reads.server";
import { refreshServing } from "./serving.server";
import { staleAlertKind } from "./sync-schedule";

/**
 * The sync run: pulls every entity of a source page by page, loads each page
 * in one transaction together with the run's counts and the cursor reached,
 * so a sync killed midway resumes from its last loaded page without
 * duplicates. Incremental runs start from each entity's stored cursor; full
 * runs re-read everything. Deletions are reconciled by comparing id sets
 * where the source's change feed does not report them.
 */

export type SourceKit = { connector: SourceConnector; mapper: SourceMapper };

export type SyncProgress = { entity: string; counts: SyncCounts };

export type SyncSummary = SyncCounts & { source: LakeSource; mode: SyncMode; status: "succeeded" | "partial" | "failed"; seconds: number };

type RunRow = {
  source: LakeSource;
  mode: SyncMode;
  status: string;
  cursor_after: CursorState;
  counts: SyncCounts;
  started_at: Date;
  missing_fields: string[];
};

/** Cursors reached per entity, and the entities finished, so a retried job skips them. */
type CursorState = { cursors?: Record<string, string | null>; done?: string[] };

const PAGE_TX = { timeout: 120_000, maxWait: 30_000 };

export type RunSyncOptions = {
  /** The worker's last attempt: an error then fails the run instead of leaving it to resume. */
  finalAttempt?: boolean;
  onProgress?: (progress: SyncProgress) => void;
};

export async function runSync(tenantId: string, syncRunId: string, kit: SourceKit, options: RunSyncOptions = {}): Promise<SyncSummary | null> {
  const run = await claimRun(tenantId, syncRunId);
  if (!run) return null;
  const { connector } = kit;
  const state: CursorState = { cursors: { ...run.cursor_after.cursors }, done: [...(run.cursor_after.done ?? [])] };
  const counts = { ...run.counts };
  try {
    const { missing } = await connector.check();
    if (missing.length > 0) {
      // Reading a model or field the source lacks fails on every attempt: end the run now, saying what to install.
      const reason = `The source lacks what the sync reads: ${missing.join("; ")}`;
      await db.$withTenant(tenantId, async (tx) => {
        await tx.lakeSyncRun.update({ where: { tenantId_id: { tenantId, id: syncRunId } }, data: { missingFields: missing } });
        await markSourceFailed(tx, syncRunId, run.source, reason);
      });
      return summary(run, counts, "failed");
    }
    const references = await db.$withTenant(tenantId, (tx) => ReferencePayloads.load(tx, run.source), PAGE_TX);
    const stored = await storedCursors(tenantId, run.source);
    for (const entity of connector.entities) {
      if (state.done!.includes(entity)) continue;
      const resumeFrom = entity in state.cursors! ? state.cursors![entity]! : run.mode === "incremental" ? (stored[entity] ?? null) : null;
      for await (const page of fetchingAhead(connector.pages(entity, { mode: run.mode, cursor: resumeFrom }))) {
        state.cursors![entity] = page.cursor;
        await withLakeScope(
          tenantId,
          WHOLE_TENANT,
          async (tx) => {
            const outcome = await loadSourcePage({ tx, tenantId, syncRunId, source: run.source, mapper: kit.mapper, references }, page.records);
            add(counts, outcome);
            await saveProgress(tx, syncRunId, entity, state, counts);
            if (run.mode === "incremental" && page.cursor !== null) await saveCursor(tx, run.source, entity, page.cursor);
          },
          PAGE_TX,
        );
        options.onProgress?.({ entity, counts: { ...counts } });
      }
      // Odoo reports no deletions in its change feed, and Graph's lose those made while a delta link was dead:
      // comparing id sets retires what the source no longer holds.
      const live = connector.liveIds ? await connector.liveIds(entity) : null;
      if (live) await reconcileVanished(tenantId, syncRunId, kit, references, run.source, entity, live, counts);
      state.done!.push(entity);
      await db.$withTenant(tenantId, (tx) => saveProgress(tx, syncRunId, entity, state, counts));
    }
    const status = counts.rejected > 0 ? "partial" : "succeeded";
    await withLakeScope(
      tenantId,
      WHOLE_TENANT,
      async (tx) => {
        if (run.mode === "full") {
          for (const [entity, cursor] of Object.entries(state.cursors!)) if (cursor !== null) await saveCursor(tx, run.source, entity, cursor);
        }
        await refreshServing(tx);
        await finishRun(tx, syncRunId, status, null);
        await tx.$executeRaw`
          INSERT INTO lake_sources (source, status, last_success_at, last_full_at)
          VALUES (${run.source}, 'connected', CURRENT_TIMESTAMP, ${run.mode === "full" ? new Date() : null})
          ON CONFLICT (tenant_id, source) DO UPDATE SET status = 'connected', status_detail = NULL, last_success_at = EXCLUDED.last_success_at,
            last_full_at = COALESCE(EXCLUDED.last_full_at, lake_sources.last_full_at), updated_at = CURRENT_TIMESTAMP`;
        // The source is fresh again: its staleness episode, if one was open, ends here.
        await resolveAlerts(tx, [staleAlertKind(run.source)]);
      },
      PAGE_TX,
    );
    return summary(run, counts, status);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().warn({ tenantId, syncRunId, source: run.source, err: message }, "lake sync failed");
    await db.$withTenant(tenantId, async (tx) => {
      if (options.finalAttempt) {
        await markSourceFailed(tx, syncRunId, run.source, message);
      } else {
        await tx.lakeSyncRun.update({ where: { tenantId_id: { tenantId, id: syncRunId } }, data: { error: message.slice(0, 2000) } });
      }
    });
    if (options.finalAttempt) return summary(run, counts, "failed");
    throw error;
  }
}

async function markSourceFailed(tx: TenantTx, syncRunId: string, source: LakeSource, reason: string) {
  await finishRun(tx, syncRunId, "failed", reason);
  await tx.$executeRaw`
    INSERT INTO lake_sources (source, status, status_detail) VALUES (${source}, 'error', ${reason.slice(0, 500)})
    ON CONFLICT (tenant_id, source) DO UPDATE SET status = 'error', status_detail = EXCLUDED.status_detail, updated_at = CURRENT_TIMESTAMP`;
}

/** Ends a sync that could not start (its source is not connected), so the next one can be queued. */
export async function failSyncRun(tenantId: string, syncRunId: string, reason: string): Promise<void> {
  await db.$withTenant(tenantId, async (tx) => {
    await tx.$executeRaw`
      UPDATE lake_sync_runs SET status = 'failed', error = ${reason.slice(0, 2000)}, finished_at = CURRENT_TIMESTAMP, attempts = attempts + 1
      WHERE id = ${syncRunId}::uuid AND status IN ('queued', 'running')`;
  });
}

/**
 * Asks the source for the next page while the current one is being loaded,
 * so a sync costs the slower of the two per page rather than their sum. The
 * cursor stored is still the loaded page's.
 */
async function* fetchingAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = iterator.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = iterator.next();
    // Awaited on the next turn; until then a failure must not count as unhandled.
    next.catch(() => undefined);
    yield current.value;
  }
}

/** Records the source no longer holds arrive as removals, through the same page loader, so the raw zone keeps the event. */
async function reconcileVanished(
  tenantId: string,
  syncRunId: string,
  kit: SourceKit,
  references: ReferencePayloads,
  source: LakeSource,
  entity: string,
  live: Set<string>,
  counts: SyncCounts,
) {
  const known = await db.$withTenant(
    tenantId,
    (tx) => tx.lakeSourceRecord.findMany({ where: { source, entity, removedAt: null }, select: { sourceId: true } }),
    PAGE_TX,
  );
  const vanished = known.map((k) => k.sourceId).filter((id) => !live.has(id));
  for (let i = 0; i < vanished.length; i += 1000) {
    const records: SourceRecord[] = vanished.slice(i, i + 1000).map((sourceId) => ({ entity, sourceId, version: null, payload: {}, removed: true }));
    await withLakeScope(
      tenantId,
      WHOLE_TENANT,
      async (tx) => {
        const outcome = await loadSourcePage({ tx, tenantId, syncRunId, source, mapper: kit.mapper, references }, records);
        add(counts, { ...outcome, counts: { ...outcome.counts, fetched: 0 } });
        await tx.lakeSyncRun.update({ where: { tenantId_id: { tenantId, id: syncRunId } }, data: { ...countColumns(counts) } });
      },
      PAGE_TX,
    );
  }
}

function add(counts: SyncCounts, outcome: PageOutcome) {
  for (const key of Object.keys(ZERO_COUNTS) as Array<keyof SyncCounts>) counts[key] += outcome.counts[key];
}

function countColumns(counts: SyncCounts) {
  return {
    fetched: counts.fetched,
    rawInserted: counts.raw_inserted,
    inserted: counts.inserted,
    updated: counts.updated,
    deleted: counts.deleted,
    unchanged: counts.unchanged,
    rejected: counts.rejected,
  };
}

async function claimRun(tenantId: string, syncRunId: string): Promise<RunRow | null> {
  return db.$withTenant(tenantId, async (tx) => {
    const rows = await tx.$queryRaw<Array<Omit<RunRow, "counts"> & SyncCounts>>`
      UPDATE lake_sync_runs SET status = 'running', started_at = COALESCE(started_at, CURRENT_TIMESTAMP), attempts = attempts + 1,
        cursor_before = CASE WHEN attempts = 0
          THEN COALESCE((SELECT jsonb_object_agg(entity, cursor) FROM lake_cursors WHERE source = lake_sync_runs.source), '{}') ELSE cursor_before END
      WHERE id = ${syncRunId}::uuid AND status IN ('queued', 'running')
      RETURNING source, mode, status, cursor_after, started_at, missing_fields, fetched, raw_inserted, inserted, updated, deleted, unchanged, rejected`;
    const row = rows[0];
    if (!row) return null;
    const counts = Object.fromEntries(Object.keys(ZERO_COUNTS).map((k) => [k, row[k as keyof SyncCounts]])) as SyncCounts;
    return { ...row, counts };
  });
}

async function storedCursors(tenantId: string, source: LakeSource): Promise<Record<string, string>> {
  const rows = await db.$withTenant(tenantId, (tx) => tx.lakeCursor.findMany({ where: { source } }));
  return Object.fromEntries(rows.map((r) => [r.entity, r.cursor]));
}

async function saveCursor(tx: TenantTx, source: LakeSource, entity: string, cursor: string) {
  await tx.$executeRaw`
    INSERT INTO lake_cursors (source, entity, cursor) VALUES (${source}, ${entity}, ${cursor})
    ON CONFLICT (tenant_id, source, entity) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = CURRENT_TIMESTAMP`;
}

async function saveProgress(tx: TenantTx, syncRunId: string, entity: string, state: CursorState, counts: SyncCounts) {
  await tx.$executeRaw`
    UPDATE lake_sync_runs SET entity = ${entity}, cursor_after = ${JSON.stringify(state)}::jsonb,
      fetched = ${counts.fetched}, raw_inserted = ${counts.raw_inserted}, inserted = ${counts.inserted}, updated = ${counts.updated},
      deleted = ${counts.deleted}, unchanged = ${counts.unchanged}, rejected = ${counts.rejected}
    WHERE id = ${syncRunId}::uuid`;
}

async function finishRun(tx: TenantTx, syncRunId: string, status: "succeeded" | "partial" | "failed", error: string | null) {
  await tx.$executeRaw`
    UPDATE lake_sync_runs SET status = ${status}, error = ${error?.slice(0, 2000) ?? null}, finished_at = CURRENT_TIMESTAMP, entity = NULL
    WHERE id = ${syncRunId}::uuid`;
}

function summary(run: RunRow, counts: SyncCounts, status: SyncSummary["status"]): SyncSummary {
  return { source: run.source, mode: run.mode, ...counts, status, seconds: Math.round((Date.now() - run.started_at.getTime()) / 100) / 10 };
}
