import { type TenantTx } from "../db.server";
import { CANONICAL_TABLES, listLinks, refKey } from "./canonical-rows";
import { contentHash, derivedUuid } from "./content-hash.server";
import { resolutionKeys } from "./entity-resolution";
import { type CanonicalDraft, type CanonicalKind, type SourceRef } from "./pipeline";

/**
 * The loader: writes one kind of canonical entity for a page of mapped
 * records, set-based. It resolves each record to its entity (the one it
 * mapped to before, else a match by UEN, VAT, domain or email, else a new
 * one), resolves links to other records, and marks the serving groups the
 * change touches.
 *
 * An entity's fields come from the source record that created it; a record
 * resolved onto an existing entity of another record only adds itself as a
 * source reference (recorded in lake_merges), so two sources that disagree
 * do not overwrite each other on every sync.
 */

export type LoadItem = { ref: SourceRef; draft: CanonicalDraft; existingId: string | null };

/** Entities placed earlier in the same page, by source reference: later kinds link to them before the heads are written. */
export type PageTargets = Map<string, { id: string; kind: CanonicalKind }>;

/** `updatedIds`: existing entities whose fields this load changed. */
export type KindOutcome = { ids: Map<string, string>; updatedIds: Set<string>; inserted: number; updated: number; unchanged: number };

type Scope = { tx: TenantTx; tenantId: string; syncRunId: string | null };

export async function loadCanonical(scope: Scope, kind: CanonicalKind, items: LoadItem[], pageTargets: PageTargets): Promise<KindOutcome> {
  const outcome: KindOutcome = { ids: new Map(), updatedIds: new Set(), inserted: 0, updated: 0, unchanged: 0 };
  if (items.length === 0) return outcome;
  const { tx, tenantId } = scope;
  const spec = CANONICAL_TABLES[kind];

  const matches = await resolutionIndex(tx, kind, items);
  const merges: Array<{ keptId: string; mergedRef: string; rule: string }> = [];
  const primaries = new Map<string, LoadItem>();
  for (const item of items) {
    const key = refKey(item.ref);
    const ownId = derivedUuid(tenantId, kind, key);
    let id = item.existingId;
    if (!id) {
      const match = matches.find(item.draft);
      id = match?.id ?? ownId;
      if (match && match.id !== ownId)
        merges.push({ keptId: match.id, mergedRef: `${item.ref.source}:${item.ref.entity}:${item.ref.sourceId}`, rule: match.rule });
    }
    if (id === ownId) {
      primaries.set(id, item);
      matches.add(item.draft, id);
    } else if (item.existingId) {
      outcome.unchanged++;
    } else {
      outcome.updated++;
    }
    outcome.ids.set(key, id);
    pageTargets.set(key, { id, kind });
  }

  const targets = await linkTargets(tx, [...primaries.values()], pageTargets);
  const pending: Array<{ id: string; column: string; ref: SourceRef }> = [];
  const rows = [...primaries].map(([id, item]) => {
    const row: Record<string, unknown> = { id, content_hash: contentHash(item.draft).toString("hex") };
    for (const column of spec.values) row[column.name] = column.value(item.draft as never);
    for (const column of spec.links) {
      const ref = column.link(item.draft as never);
      const target = ref ? targets.get(refKey(ref)) : undefined;
      row[column.name] = target?.id ?? null;
      if (column.kindColumn) row[column.kindColumn] = target?.kind ?? null;
      if (ref && !target) pending.push({ id, column: column.name, ref });
    }
    const list = listLinks(item.draft);
    if (list) row[list.column] = list.refs.map((ref) => targets.get(refKey(ref))?.id).filter(Boolean);
    return row;
  });

  const ids = [...primaries.keys()];
  await markDirty(tx, kind, ids);
  const written = await upsertRows(tx, spec.table, rowColumns(kind), rows);
  for (const row of written) {
    if (row.inserted) {
      outcome.inserted++;
    } else {
      outcome.updated++;
      outcome.updatedIds.add(row.id);
    }
  }
  outcome.unchanged += primaries.size - written.length;
  await markDirty(tx, kind, ids);

  const writtenIds = written.map((r) => r.id);
  if (writtenIds.length > 0) {
    await tx.$executeRaw`DELETE FROM lake_pending_links WHERE canonical_kind = ${kind} AND canonical_id = ANY(${writtenIds}::uuid[])`;
  }
  const pendingWritten = pending.filter((p) => writtenIds.includes(p.id));
  if (pendingWritten.length > 0) {
    await tx.$executeRaw`
      INSERT INTO lake_pending_links (canonical_kind, canonical_id, column_name, source, entity, source_id)
      SELECT ${kind}, x.id, x.column_name, x.source, x.entity, x.source_id
      FROM jsonb_to_recordset(${JSON.stringify(pendingWritten.map((p) => ({ id: p.id, column_name: p.column, ...refColumns(p.ref) })))}::jsonb)
        AS x(id uuid, column_name text, source text, entity text, source_id text)
      ON CONFLICT DO NOTHING`;
  }
  if (merges.length > 0) {
    await tx.$executeRaw`
      INSERT INTO lake_merges (kind, kept_id, merged_ref, rule, sync_run_id)
      SELECT ${kind}, x.kept_id, x.merged_ref, x.rule, ${scope.syncRunId}::uuid
      FROM jsonb_to_recordset(${JSON.stringify(merges.map((m) => ({ kept_id: m.keptId, merged_ref: m.mergedRef, rule: m.rule })))}::jsonb)
        AS x(kept_id uuid, merged_ref text, rule text)`;
  }
  return outcome;
}

function refColumns(ref: SourceRef) {
  return { source: ref.source, entity: ref.entity, source_id: ref.sourceId };
}

/** The columns of a kind's table the loader writes, with their types, in a stable order. */
function rowColumns(kind: CanonicalKind): Array<[string, string]> {
  const spec = CANONICAL_TABLES[kind];
  const columns: Array<[string, string]> = [["id", "uuid"], ...spec.values.map((c): [string, string] => [c.name, c.type])];
  for (const link of spec.links) {
    columns.push([link.name, "uuid"]);
    if (link.kindColumn) columns.push([link.kindColumn, "text"]);
  }
  if (kind === "team") columns.push(["member_ids", "uuid[]"]);
  return columns;
}

async function upsertRows(tx: TenantTx, table: string, columns: Array<[string, string]>, rows: Array<Record<string, unknown>>) {
  if (rows.length === 0) return [];
  const names = columns.map(([name]) => `"${name}"`);
  const recordType = [...columns.map(([name, type]) => `"${name}" ${type}`), `"content_hash" text`].join(", ");
  const updates = names
    .filter((n) => n !== '"id"')
    .map((n) => `${n} = EXCLUDED.${n}`)
    .join(", ");
  // Table and column names come from CANONICAL_TABLES, never from input; the rows are one bound parameter.
  const sql = `
    INSERT INTO ${table} AS t (${names.join(", ")}, content_hash)
    SELECT ${names.map((n) => `x.${n}`).join(", ")}, decode(x.content_hash, 'hex')
    FROM jsonb_to_recordset($1::jsonb) AS x(${recordType})
    ON CONFLICT (tenant_id, id) DO UPDATE SET ${updates}, content_hash = EXCLUDED.content_hash, deleted_at = NULL, updated_at = CURRENT_TIMESTAMP
    WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash OR t.deleted_at IS NOT NULL
    RETURNING id, (xmax = 0) AS inserted`;
  return tx.$queryRawUnsafe<Array<{ id: string; inserted: boolean }>>(sql, JSON.stringify(rows));
}

/** Canonical ids of the records these items link to: placed earlier in this page, or loaded before. */
async function linkTargets(tx: TenantTx, items: LoadItem[], pageTargets: PageTargets): Promise<PageTargets> {
  const targets: PageTargets = new Map();
  const wanted = new Map<string, SourceRef>();
  for (const { draft } of items) {
    const spec = CANONICAL_TABLES[draft.kind];
    const refs = [...spec.links.map((c) => c.link(draft as never)), ...(listLinks(draft)?.refs ?? [])];
    for (const ref of refs) {
      if (!ref) continue;
      const key = refKey(ref);
      const inPage = pageTargets.get(key);
      if (inPage) targets.set(key, inPage);
      else wanted.set(key, ref);
    }
  }
  if (wanted.size === 0) return targets;
  const refs = [...wanted.values()];
  const rows = await tx.$queryRaw<Array<{ source: string; entity: string; source_id: string; canonical_id: string; canonical_kind: CanonicalKind }>>`
    SELECT s.source, s.entity, s.source_id, s.canonical_id, s.canonical_kind
    FROM unnest(${refs.map((r) => r.source)}::text[], ${refs.map((r) => r.entity)}::text[], ${refs.map((r) => r.sourceId)}::text[]) AS w(source, entity, source_id)
    JOIN lake_source_records s ON s.source = w.source AND s.entity = w.entity AND s.source_id = w.source_id
    WHERE s.canonical_id IS NOT NULL AND s.removed_at IS NULL`;
  for (const row of rows) {
    targets.set(refKey({ source: row.source as SourceRef["source"], entity: row.entity, sourceId: row.source_id }), {
      id: row.canonical_id,
      kind: row.canonical_kind,
    });
  }
  return targets;
}

type Match = { id: string; rule: string };

/** Existing entities (and those placed earlier in this batch) by their resolution keys. */
async function resolutionIndex(tx: TenantTx, kind: CanonicalKind, items: LoadItem[]) {
  const keys = resolutionKeys;
  const index = new Map<string, string>();
  const add = (draft: CanonicalDraft, id: string) => {
    for (const [rule, value] of keys(draft)) if (!index.has(`${rule}:${value}`)) index.set(`${rule}:${value}`, id);
  };
  const unresolved = items.filter((i) => !i.existingId);
  if (unresolved.length > 0 && (kind === "account" || kind === "contact" || kind === "user")) {
    const values = (rule: string) =>
      unresolved.flatMap((i) =>
        keys(i.draft)
          .filter(([r, v]) => r === rule && v)
          .map(([, v]) => v!),
      );
    if (kind === "account") {
      const rows = await tx.$queryRaw<Array<{ id: string; uen: string | null; vat: string | null; domain: string | null }>>`
        SELECT id, uen, vat, domain FROM lake_accounts
        WHERE deleted_at IS NULL AND (uen = ANY(${values("uen")}::text[]) OR vat = ANY(${values("vat")}::text[]) OR domain = ANY(${values("domain")}::text[]))
        ORDER BY created_at, id`;
      for (const row of rows) {
        for (const rule of ["uen", "vat", "domain"] as const) if (row[rule] && !index.has(`${rule}:${row[rule]}`)) index.set(`${rule}:${row[rule]}`, row.id);
      }
    } else {
      const table = kind === "contact" ? "lake_contacts" : "lake_users";
      const rows = await tx.$queryRawUnsafe<Array<{ id: string; email: string }>>(
        `SELECT id, email FROM ${table} WHERE deleted_at IS NULL AND email = ANY($1::text[]) ORDER BY created_at, id`,
        values("email"),
      );
      for (const row of rows) if (!index.has(`email:${row.email}`)) index.set(`email:${row.email}`, row.id);
    }
  }
  return {
    find(draft: CanonicalDraft): Match | undefined {
      for (const [rule, value] of keys(draft)) {
        const id = index.get(`${rule}:${value}`);
        if (id) return { id, rule };
      }
      return undefined;
    },
    add,
  };
}

/**
 * The KPI days an opportunity's closing or a done activity sits in; called
 * before and after a write so old and new days both refresh. (The pipeline
 * summaries need no marks: the database records their deltas.)
 */
export async function markDirty(tx: TenantTx, kind: CanonicalKind, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  if (kind === "opportunity") {
    await tx.$executeRaw`
      INSERT INTO lake_serving_dirty (aggregate, day)
      SELECT DISTINCT 'kpi', (o.closed_at AT TIME ZONE 'Asia/Singapore')::date FROM lake_opportunities o
      WHERE o.id = ANY(${ids}::uuid[]) AND o.closed_at IS NOT NULL
      ON CONFLICT DO NOTHING`;
  } else if (kind === "activity") {
    await tx.$executeRaw`
      INSERT INTO lake_serving_dirty (aggregate, day)
      SELECT DISTINCT 'kpi', (a.at AT TIME ZONE 'Asia/Singapore')::date FROM lake_activities a
      WHERE a.id = ANY(${ids}::uuid[]) AND a.state = 'done'
      ON CONFLICT DO NOTHING`;
  }
}

/** Entities none of whose source records is still live are marked deleted; returns how many. */
export async function softDeleteOrphans(tx: TenantTx, kind: CanonicalKind, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const table = CANONICAL_TABLES[kind].table;
  await markDirty(tx, kind, ids);
  return tx.$executeRawUnsafe(
    `UPDATE ${table} t SET deleted_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP
     WHERE t.id = ANY($1::uuid[]) AND t.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM lake_source_records s WHERE s.tenant_id = t.tenant_id AND s.canonical_id = t.id AND s.removed_at IS NULL)`,
    ids,
  );
}

/** Fills links whose target record has arrived since (a person loaded before their company). */
export async function resolvePendingLinks(tx: TenantTx): Promise<void> {
  const resolved = await tx.$queryRaw<Array<{ canonical_kind: CanonicalKind; canonical_id: string; column_name: string; target: string; target_kind: string }>>`
    DELETE FROM lake_pending_links p USING lake_source_records s
    WHERE s.tenant_id = p.tenant_id AND s.source = p.source AND s.entity = p.entity AND s.source_id = p.source_id
      AND s.canonical_id IS NOT NULL AND s.removed_at IS NULL
    RETURNING p.canonical_kind, p.canonical_id, p.column_name, s.canonical_id AS target, s.canonical_kind AS target_kind`;
  const groups = new Map<string, typeof resolved>();
  for (const row of resolved) {
    const key = `${row.canonical_kind}\u0000${row.column_name}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const rows of groups.values()) {
    const { canonical_kind: kind, column_name: column } = rows[0]!;
    const spec = CANONICAL_TABLES[kind];
    const link = spec.links.find((l) => l.name === column);
    if (!link) continue;
    const kindSet = link.kindColumn ? `, "${link.kindColumn}" = x.target_kind` : "";
    await tx.$executeRawUnsafe(
      `UPDATE ${spec.table} t SET "${link.name}" = x.target${kindSet}
       FROM jsonb_to_recordset($1::jsonb) AS x(canonical_id uuid, target uuid, target_kind text) WHERE t.id = x.canonical_id`,
      JSON.stringify(rows.map((r) => ({ canonical_id: r.canonical_id, target: r.target, target_kind: r.target_kind }))),
    );
  }
}
