import { type TenantTx } from "../db.server";
import { refKey } from "./canonical-rows";
import { contentHash } from "./content-hash.server";
import { splitDivergedRecords } from "./entity-splits.server";
import { loadCanonical, resolvePendingLinks, softDeleteOrphans, type LoadItem, type PageTargets } from "./loader.server";
import { normalizeDraft } from "./normalize";
import { type PageScope } from "./page-scope.server";
import { CANONICAL_KINDS, ZERO_COUNTS, type CanonicalKind, type LakeSource, type SourceRecord, type SyncCounts } from "./pipeline";
import { validateDraft } from "./validate";

/**
 * One page through mapper → validator → normalizer → loader, in the caller's
 * transaction. The raw zone gets a row for every record whose content changed
 * since its latest version (or that is new, or gone); unchanged records stop
 * there and cost nothing further.
 */

export type Reject = { entity: string; sourceId: string; reason: string };
export type PageOutcome = { counts: SyncCounts; rejects: Reject[] };

type Head = { entity: string; source_id: string; hash: string; canonical_id: string | null; canonical_kind: CanonicalKind | null; removed: boolean };

/** `rawIds` (replay only): the raw row each record was read from, by entity and source id. */
export async function loadSourcePage(scope: PageScope, fetched: SourceRecord[], rawIds?: Map<string, bigint>): Promise<PageOutcome> {
  const { tx, source } = scope;
  const counts: SyncCounts = { ...ZERO_COUNTS, fetched: fetched.length };
  const rejects: Reject[] = [];
  const records = latestPerRecord(fetched);
  const recordKey = (r: { entity: string; sourceId: string }) => `${r.entity}\u0000${r.sourceId}`;

  const heads = new Map((await readHeads(tx, source, records)).map((h) => [`${h.entity}\u0000${h.source_id}`, h]));
  const hashes = new Map(records.map((r) => [recordKey(r), contentHash({ removed: Boolean(r.removed), payload: r.payload }).toString("hex")]));
  const changed = rawIds ? records : records.filter((r) => heads.get(recordKey(r))?.hash !== hashes.get(recordKey(r)));
  counts.unchanged += fetched.length - changed.length;
  if (changed.length === 0) return { counts, rejects };

  const rawRows = rawIds ?? (await appendRaw(scope, changed, hashes));
  if (!rawIds) counts.raw_inserted += changed.length;

  const byKind = new Map<CanonicalKind, LoadItem[]>();
  const removed: SourceRecord[] = [];
  for (const record of changed) {
    if (record.removed) {
      removed.push(record);
      continue;
    }
    const result = scope.mapper.map(record, scope.references);
    if (result.mapped.length === 0 && result.rejected.length === 0) scope.references.set(record.entity, record.sourceId, record.payload);
    for (const reject of result.rejected) rejects.push({ entity: reject.ref.entity, sourceId: reject.ref.sourceId, reason: reject.reason });
    const [first] = result.mapped;
    if (!first) continue;
    const valid = validateDraft(first.draft);
    if (!valid.ok) {
      rejects.push({ entity: record.entity, sourceId: record.sourceId, reason: valid.reason });
      continue;
    }
    const draft = normalizeDraft(valid.draft);
    const head = heads.get(recordKey(record));
    const existingId = head?.canonical_kind === draft.kind ? head.canonical_id : null;
    byKind.set(draft.kind, [...(byKind.get(draft.kind) ?? []), { ref: first.ref, draft, existingId }]);
  }
  counts.rejected += rejects.length;

  const pageTargets: PageTargets = new Map();
  const placed = new Map<string, { id: string; kind: CanonicalKind }>();
  for (const kind of CANONICAL_KINDS) {
    const items = byKind.get(kind) ?? [];
    const outcome = await loadCanonical(scope, kind, items, pageTargets);
    counts.inserted += outcome.inserted;
    counts.updated += outcome.updated;
    counts.unchanged += outcome.unchanged;
    for (const item of items) placed.set(refKey(item.ref), { id: outcome.ids.get(refKey(item.ref))!, kind });
    const updated = items.map((i) => ({ id: outcome.ids.get(refKey(i.ref))!, draft: i.draft })).filter((u) => outcome.updatedIds.has(u.id));
    counts.updated += await splitDivergedRecords(scope, kind, updated, new Set(items.map((i) => refKey(i.ref))));
  }

  await writeHeads(
    tx,
    source,
    changed.map((record) => {
      const key = recordKey(record);
      const target = placed.get(refKey({ source, entity: record.entity, sourceId: record.sourceId }));
      return {
        entity: record.entity,
        source_id: record.sourceId,
        raw_id: String(rawRows.get(key)),
        content_hash: hashes.get(key)!,
        canonical_kind: target?.kind ?? null,
        canonical_id: target?.id ?? null,
        removed: Boolean(record.removed),
      };
    }),
  );

  // Entities left without a live source record: removed records', and those of a record that changed kind (a person made a company).
  const orphans = new Map<CanonicalKind, string[]>();
  for (const record of changed) {
    const head = heads.get(recordKey(record));
    if (!head?.canonical_id || !head.canonical_kind) continue;
    const now = placed.get(refKey({ source, entity: record.entity, sourceId: record.sourceId }));
    if (record.removed || (now && now.id !== head.canonical_id))
      orphans.set(head.canonical_kind, [...(orphans.get(head.canonical_kind) ?? []), head.canonical_id]);
  }
  for (const [kind, ids] of orphans) counts.deleted += await softDeleteOrphans(tx, kind, ids);

  await resolvePendingLinks(tx);
  if (scope.syncRunId && rejects.length > 0) {
    await tx.$executeRaw`
      INSERT INTO lake_sync_rejects (sync_run_id, entity, source_id, reason)
      SELECT ${scope.syncRunId}::uuid, x.entity, x.source_id, x.reason
      FROM jsonb_to_recordset(${JSON.stringify(rejects.map((r) => ({ entity: r.entity, source_id: r.sourceId, reason: r.reason.slice(0, 1000) })))}::jsonb)
        AS x(entity text, source_id text, reason text)`;
  }
  return { counts, rejects };
}

/** An overlap window re-reads records; within a page only a record's last version counts. */
function latestPerRecord(records: SourceRecord[]): SourceRecord[] {
  const latest = new Map<string, SourceRecord>();
  for (const record of records) {
    const key = `${record.entity}\u0000${record.sourceId}`;
    latest.delete(key);
    latest.set(key, record);
  }
  return [...latest.values()];
}

async function readHeads(tx: TenantTx, source: LakeSource, records: SourceRecord[]): Promise<Head[]> {
  return tx.$queryRaw<Head[]>`
    SELECT s.entity, s.source_id, encode(s.content_hash, 'hex') AS hash, s.canonical_id, s.canonical_kind, s.removed_at IS NOT NULL AS removed
    FROM unnest(${records.map((r) => r.entity)}::text[], ${records.map((r) => r.sourceId)}::text[]) AS w(entity, source_id)
    JOIN lake_source_records s ON s.source = ${source} AND s.entity = w.entity AND s.source_id = w.source_id`;
}

async function appendRaw(scope: PageScope, records: SourceRecord[], hashes: Map<string, string>): Promise<Map<string, bigint>> {
  const rows = records.map((r) => ({
    entity: r.entity,
    source_id: r.sourceId,
    version: r.version,
    content_hash: hashes.get(`${r.entity}\u0000${r.sourceId}`),
    removed: Boolean(r.removed),
    payload: r.payload,
  }));
  const inserted = await scope.tx.$queryRaw<Array<{ id: bigint; entity: string; source_id: string }>>`
    INSERT INTO lake_raw_records (source, entity, source_id, version, content_hash, removed, payload, sync_run_id)
    SELECT ${scope.source}, x.entity, x.source_id, x.version, decode(x.content_hash, 'hex'), x.removed, x.payload, ${scope.syncRunId}::uuid
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(entity text, source_id text, version text, content_hash text, removed boolean, payload jsonb)
    RETURNING id, entity, source_id`;
  return new Map(inserted.map((r) => [`${r.entity}\u0000${r.source_id}`, r.id]));
}

type HeadRow = {
  entity: string;
  source_id: string;
  raw_id: string;
  content_hash: string;
  canonical_kind: CanonicalKind | null;
  canonical_id: string | null;
  removed: boolean;
};

async function writeHeads(tx: TenantTx, source: LakeSource, rows: HeadRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO lake_source_records AS t (source, entity, source_id, raw_id, content_hash, canonical_kind, canonical_id, seen_at, removed_at)
    SELECT ${source}, x.entity, x.source_id, x.raw_id::bigint, decode(x.content_hash, 'hex'), x.canonical_kind, x.canonical_id,
           CURRENT_TIMESTAMP, CASE WHEN x.removed THEN CURRENT_TIMESTAMP END
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS x(entity text, source_id text, raw_id text, content_hash text, canonical_kind text, canonical_id uuid, removed boolean)
    ON CONFLICT (tenant_id, source, entity, source_id) DO UPDATE SET
      raw_id = EXCLUDED.raw_id, content_hash = EXCLUDED.content_hash, seen_at = EXCLUDED.seen_at, removed_at = EXCLUDED.removed_at,
      canonical_kind = COALESCE(EXCLUDED.canonical_kind, t.canonical_kind), canonical_id = COALESCE(EXCLUDED.canonical_id, t.canonical_id)`;
}
