import { platformDb } from "../db.server";
import { log } from "../logger.server";
import { effectiveWindows, retentionCutoff, type RetentionClass } from "./retention-windows";

/**
 * The daily retention sweep: for every workspace and data class with a
 * window, what is older than the cutoff goes, in batches of `batchSize` rows
 * per statement (each its own short transaction, so no lock is held for
 * long and a killed sweep leaves only whole batches done). Rows that carry
 * an audit value (a content hash, a score) keep it and lose only their text.
 * Each class's sweep is recorded in retention_sweeps. The platform client
 * does the work (the raw zone is append-only for the application role), so
 * every statement names its tenant.
 */
export type RetentionClock = () => Date;

export type SweepOptions = { clock?: RetentionClock; batchSize?: number };

export type ClassSweep = { dataClass: RetentionClass; cutoff: Date; rowsDeleted: number; rowsCleared: number };

const DEFAULT_BATCH = 5000;

export async function sweepRetention(options: SweepOptions = {}): Promise<Array<{ tenantId: string; classes: ClassSweep[] }>> {
  const tenants = await platformDb.tenant.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  const swept: Array<{ tenantId: string; classes: ClassSweep[] }> = [];
  for (const { id } of tenants) {
    try {
      swept.push({ tenantId: id, classes: await sweepTenantRetention(id, options) });
    } catch (error) {
      // One workspace's failure must not keep the others' data past its window; the next day's sweep tries it again.
      log().error({ tenantId: id, err: error }, "retention sweep failed for a workspace");
    }
  }
  return swept;
}

export async function sweepTenantRetention(
  tenantId: string,
  { clock = () => new Date(), batchSize = DEFAULT_BATCH }: SweepOptions = {},
): Promise<ClassSweep[]> {
  const overrides = await platformDb.retentionOverride.findMany({ where: { tenantId }, select: { dataClass: true, days: true } });
  const done: ClassSweep[] = [];
  for (const window of effectiveWindows(overrides)) {
    if (window.days === null) continue;
    const startedAt = clock();
    const cutoff = retentionCutoff(startedAt, window.days);
    const record = await platformDb.retentionSweep.create({ data: { tenantId, dataClass: window.dataClass, cutoff, startedAt }, select: { id: true } });
    const counts = await SWEEPERS[window.dataClass](tenantId, cutoff, batchSize);
    await platformDb.retentionSweep.update({
      where: { tenantId_id: { tenantId, id: record.id } },
      data: { ...counts, finishedAt: clock() },
    });
    done.push({ dataClass: window.dataClass, cutoff, ...counts });
  }
  return done;
}

type Counts = { rowsDeleted: number; rowsCleared: number };
type Sweeper = (tenantId: string, cutoff: Date, batchSize: number) => Promise<Counts>;

/** Repeats one batch statement until a batch comes back short; returns the rows it touched. */
async function inBatches(batchSize: number, batch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const touched = await batch();
    total += touched;
    if (touched < batchSize) return total;
  }
}

const SWEEPERS: Record<RetentionClass, Sweeper> = {
  // The page's hash (sha256) stays: the content a company was scored on can still be told, not read.
  crawl_text: async (tenantId, cutoff, n) => ({
    rowsDeleted: 0,
    rowsCleared: await inBatches(
      n,
      () => platformDb.$executeRaw`
        UPDATE crawl_pages p SET text = NULL, title = NULL
        FROM (SELECT uen, url FROM crawl_pages
              WHERE tenant_id = ${tenantId}::uuid AND fetched_at < ${cutoff} AND (text IS NOT NULL OR title IS NOT NULL)
              ORDER BY fetched_at LIMIT ${n}) old
        WHERE p.tenant_id = ${tenantId}::uuid AND p.uen = old.uen AND p.url = old.url`,
    ),
  }),
  step_logs: async (tenantId, cutoff, n) => ({
    rowsDeleted: await inBatches(
      n,
      () => platformDb.$executeRaw`
        DELETE FROM run_event_logs WHERE tenant_id = ${tenantId}::uuid AND id IN (
          SELECT id FROM run_event_logs WHERE tenant_id = ${tenantId}::uuid AND created_at < ${cutoff} ORDER BY created_at LIMIT ${n})`,
    ),
    rowsCleared: 0,
  }),
  // The features row keeps the domain, the extracted profile and the content hash; the vendors' hits behind the domain go.
  vendor_payloads: async (tenantId, cutoff, n) => ({
    rowsDeleted: 0,
    rowsCleared: await inBatches(
      n,
      () => platformDb.$executeRaw`
        UPDATE lead_features f SET domain_evidence = '[]'::jsonb
        FROM (SELECT uen FROM lead_features
              WHERE tenant_id = ${tenantId}::uuid AND updated_at < ${cutoff} AND domain_evidence <> '[]'::jsonb
              ORDER BY updated_at LIMIT ${n}) old
        WHERE f.tenant_id = ${tenantId}::uuid AND f.uen = old.uen`,
    ),
  }),
  // Messages first, in batches, so deleting a long thread never cascades into one big transaction.
  chat_threads: async (tenantId, cutoff, n) => {
    const messages = await inBatches(
      n,
      () => platformDb.$executeRaw`
        DELETE FROM chat_messages WHERE tenant_id = ${tenantId}::uuid AND id IN (
          SELECT m.id FROM chat_threads t JOIN chat_messages m ON m.tenant_id = t.tenant_id AND m.thread_id = t.id
          WHERE t.tenant_id = ${tenantId}::uuid AND t.updated_at < ${cutoff} ORDER BY m.id LIMIT ${n})`,
    );
    const threads = await inBatches(
      n,
      () => platformDb.$executeRaw`
        DELETE FROM chat_threads WHERE tenant_id = ${tenantId}::uuid AND id IN (
          SELECT id FROM chat_threads WHERE tenant_id = ${tenantId}::uuid AND updated_at < ${cutoff} ORDER BY updated_at LIMIT ${n})`,
    );
    return { rowsDeleted: messages + threads, rowsCleared: 0 };
  },
  lake_raw: async (tenantId, cutoff, n) => ({ rowsDeleted: await deleteSupersededRawVersions(tenantId, cutoff, n), rowsCleared: 0 }),
};

/**
 * Raw versions older than the cutoff that a newer live version of the same
 * record supersedes. Every record keeps its current version (what its source
 * record points at) and its newest live one (for a record deleted in the
 * source, what its canonical row was built from before the deletion), so a
 * replay still rebuilds the same canonical zone. Walks the zone by id, since
 * the versions it keeps would otherwise be read again by every batch.
 */
async function deleteSupersededRawVersions(tenantId: string, cutoff: Date, n: number): Promise<number> {
  let afterId = 0n;
  let deleted = 0;
  for (;;) {
    const [batch] = await platformDb.$queryRaw<Array<{ last_id: bigint | null; scanned: bigint; deleted: bigint }>>`
      WITH scanned AS (
        SELECT id FROM lake_raw_records
        WHERE tenant_id = ${tenantId}::uuid AND id > ${afterId} AND fetched_at < ${cutoff}
        ORDER BY id LIMIT ${n}
      ), gone AS (
        DELETE FROM lake_raw_records r USING scanned
        WHERE r.tenant_id = ${tenantId}::uuid AND r.id = scanned.id
          AND NOT EXISTS (SELECT 1 FROM lake_source_records s WHERE s.tenant_id = r.tenant_id AND s.raw_id = r.id)
          AND EXISTS (SELECT 1 FROM lake_raw_records n
                      WHERE n.tenant_id = r.tenant_id AND n.source = r.source AND n.entity = r.entity AND n.source_id = r.source_id
                        AND n.id > r.id AND NOT n.removed)
        RETURNING r.id
      )
      SELECT (SELECT max(id) FROM scanned) AS last_id, (SELECT count(*) FROM scanned) AS scanned, (SELECT count(*) FROM gone) AS deleted`;
    deleted += Number(batch!.deleted);
    if (batch!.last_id === null || Number(batch!.scanned) < n) return deleted;
    afterId = batch!.last_id;
  }
}
