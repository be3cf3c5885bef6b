import { db } from "../db.server";
import { withLakeScope } from "./hierarchy.server";
import { loadSourcePage } from "./page-loader.server";
import { ReferencePayloads } from "./page-scope.server";
import { type LakeSource, type SourceMapper, type SourceRecord } from "./pipeline";
import { WHOLE_TENANT } from "./serving-reads.server";
import { rebuildServing } from "./serving.server";

/**
 * Rebuilds the canonical zone from the raw zone alone: every stored version
 * goes back through mapper → validator → normalizer → loader in the order it
 * was fetched. Canonical ids derive from source references, so the rebuilt
 * rows are the same rows. With `since`, only the versions fetched from then
 * on are applied again, on top of what is there.
 */

const BATCH = 2000;
const CANONICAL_TABLES_IN_DELETE_ORDER = [
  "lake_pending_links",
  "lake_merges",
  "lake_activities",
  "lake_opportunities",
  "lake_contacts",
  "lake_accounts",
  "lake_teams",
  "lake_users",
  "lake_source_records",
];

export type ReplayOutcome = { records: number; seconds: number };

export async function replayLake(
  tenantId: string,
  mappers: Partial<Record<LakeSource, SourceMapper>>,
  options: { since?: Date; onProgress?: (records: number, total: number) => void } = {},
): Promise<ReplayOutcome> {
  const started = Date.now();
  const since = options.since ?? new Date(0);
  const total = await db.$withTenant(tenantId, (tx) => tx.lakeRawRecord.count({ where: { fetchedAt: { gte: since } } }));
  if (!options.since) {
    await withLakeScope(
      tenantId,
      WHOLE_TENANT,
      async (tx) => {
        for (const table of CANONICAL_TABLES_IN_DELETE_ORDER) await tx.$executeRawUnsafe(`DELETE FROM ${table}`);
      },
      { timeout: 300_000 },
    );
  }
  const references = new Map<LakeSource, ReferencePayloads>();
  let afterId = 0n;
  let records = 0;
  for (;;) {
    const rows = await db.$withTenant(tenantId, (tx) =>
      tx.lakeRawRecord.findMany({ where: { id: { gt: afterId }, fetchedAt: { gte: since } }, orderBy: { id: "asc" }, take: BATCH }),
    );
    if (rows.length === 0) break;
    afterId = rows.at(-1)!.id;
    // A page holds one source's records; consecutive rows of one source go together, in fetch order.
    for (const group of runsOfSource(rows)) {
      const source = group[0]!.source as LakeSource;
      const mapper = mappers[source];
      if (!mapper) throw new Error(`No mapper for the ${source} source: its raw records cannot be replayed`);
      await withLakeScope(
        tenantId,
        WHOLE_TENANT,
        async (tx) => {
          if (!references.has(source)) references.set(source, await ReferencePayloads.load(tx, source));
          const versions = group.map((r) => ({
            rawId: r.id,
            record: { entity: r.entity, sourceId: r.sourceId, version: r.version, payload: r.payload as Record<string, unknown>, removed: r.removed },
          }));
          for (const chunk of oneVersionPerRecord(versions)) {
            const rawIds = new Map(chunk.map((v) => [`${v.record.entity}\u0000${v.record.sourceId}`, v.rawId]));
            const scope = { tx, tenantId, syncRunId: null, source, mapper, references: references.get(source)! };
            await loadSourcePage(
              scope,
              chunk.map((v) => v.record),
              rawIds,
            );
          }
        },
        { timeout: 300_000 },
      );
      records += group.length;
      options.onProgress?.(records, total);
    }
  }
  await withLakeScope(tenantId, WHOLE_TENANT, (tx) => rebuildServing(tx), { timeout: 300_000 });
  return { records, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

type RawRow = { id: bigint; source: string; entity: string; sourceId: string };

function runsOfSource<T extends RawRow>(rows: T[]): T[][] {
  const groups: T[][] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last && last[0]!.source === row.source) last.push(row);
    else groups.push([row]);
  }
  return groups;
}

/** Splits a run of versions so no chunk holds two versions of one record: each version is applied in turn. */
function oneVersionPerRecord<T extends { record: SourceRecord }>(versions: T[]): T[][] {
  const chunks: T[][] = [];
  let seen = new Set<string>();
  let chunk: T[] = [];
  for (const version of versions) {
    const key = `${version.record.entity}\u0000${version.record.sourceId}`;
    if (seen.has(key)) {
      chunks.push(chunk);
      chunk = [];
      seen = new Set();
    }
    seen.add(key);
    chunk.push(version);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
