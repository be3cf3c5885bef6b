import { refKey } from "./canonical-rows";
import { derivedUuid } from "./content-hash.server";
import { sameEntity } from "./entity-resolution";
import { loadCanonical, type LoadItem, type PageTargets } from "./loader.server";
import { normalizeDraft } from "./normalize";
import { type PageScope, ReferencePayloads } from "./page-scope.server";
import { type CanonicalDraft, type CanonicalKind, type LakeSource, type SourceRef } from "./pipeline";
import { SOURCE_MAPPERS } from "./source-mappers";
import { validateDraft } from "./validate";

/**
 * When the record an entity came from changes so that another record merged
 * into it no longer matches (a contact's email changed, and the same person
 * in another mailbox still has the old one), that other record is split off:
 * it is mapped again from its latest raw version and resolved on its own.
 * Returns how many records were split off.
 */
export async function splitDivergedRecords(
  scope: PageScope,
  kind: CanonicalKind,
  updated: Array<{ id: string; draft: CanonicalDraft }>,
  inPage: Set<string>,
): Promise<number> {
  if (updated.length === 0 || !(kind === "account" || kind === "contact" || kind === "user")) return 0;
  const { tx, tenantId } = scope;
  const drafts = new Map(updated.map((u) => [u.id, u.draft]));
  const merged = await tx.$queryRaw<Array<{ source: LakeSource; entity: string; source_id: string; canonical_id: string; payload: Record<string, unknown> }>>`
    SELECT s.source, s.entity, s.source_id, s.canonical_id, r.payload FROM lake_source_records s
    JOIN lake_raw_records r ON r.tenant_id = s.tenant_id AND r.id = s.raw_id
    WHERE s.canonical_id = ANY(${[...drafts.keys()]}::uuid[]) AND s.removed_at IS NULL`;
  const references = new Map<LakeSource, ReferencePayloads>([[scope.source, scope.references]]);
  const split: Array<LoadItem & { from: string }> = [];
  for (const row of merged) {
    const ref: SourceRef = { source: row.source, entity: row.entity, sourceId: row.source_id };
    const key = refKey(ref);
    if (inPage.has(key) || derivedUuid(tenantId, kind, key) === row.canonical_id) continue;
    const mapper = row.source === scope.source ? scope.mapper : SOURCE_MAPPERS[row.source];
    if (!mapper) continue;
    if (!references.has(row.source)) references.set(row.source, await ReferencePayloads.load(tx, row.source));
    const mapped = mapper.map({ entity: row.entity, sourceId: row.source_id, version: null, payload: row.payload }, references.get(row.source)!).mapped[0];
    const valid = mapped && validateDraft(mapped.draft);
    if (!valid?.ok) continue;
    const draft = normalizeDraft(valid.draft);
    if (!sameEntity(draft, drafts.get(row.canonical_id)!)) split.push({ ref, draft, existingId: null, from: row.canonical_id });
  }
  if (split.length === 0) return 0;
  const outcome = await loadCanonical(scope, kind, split, new Map() as PageTargets);
  const moves = split.map((s) => ({ ...s.ref, source_id: s.ref.sourceId, from: s.from, to: outcome.ids.get(refKey(s.ref))! }));
  await tx.$executeRaw`
    UPDATE lake_source_records s SET canonical_id = m.to
    FROM jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) AS m(source text, entity text, source_id text, "to" uuid)
    WHERE s.source = m.source AND s.entity = m.entity AND s.source_id = m.source_id`;
  await tx.$executeRaw`
    UPDATE lake_merges g SET split_at = CURRENT_TIMESTAMP
    FROM jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) AS m(source text, entity text, source_id text, "from" uuid)
    WHERE g.kept_id = m.from AND g.merged_ref = m.source || ':' || m.entity || ':' || m.source_id AND g.split_at IS NULL`;
  return split.length;
}
