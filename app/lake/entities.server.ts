import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { containsPattern } from "~/utils/like-pattern";
import { type CanonicalKind, type LakeSource } from "./pipeline";
import { ownedBy, WHOLE_TENANT, type LakeScope } from "./serving-reads.server";

/**
 * Browsing the canonical zone: entities page by page (keyset on id), each
 * with the source records it came from, and one entity with the raw
 * versions behind it.
 */

/** The entity types as the API names them. */
export const ENTITY_TYPES = {
  accounts: "account",
  contacts: "contact",
  opportunities: "opportunity",
  activities: "activity",
  users: "user",
  teams: "team",
} as const satisfies Record<string, CanonicalKind>;

export type EntityType = keyof typeof ENTITY_TYPES;

export function entityKindOf(type: string): CanonicalKind | null {
  return Object.hasOwn(ENTITY_TYPES, type) ? ENTITY_TYPES[type as EntityType] : null;
}

/** Per kind: its table, what names an entity in a list, the columns `q` searches, and whether it has an owner to scope by. */
const ENTITY_TABLES: Record<CanonicalKind, { table: string; label: string; search: string[]; owned: boolean }> = {
  user: { table: "lake_users", label: "e.name", search: ["name", "email", "login"], owned: false },
  team: { table: "lake_teams", label: "e.name", search: ["name"], owned: false },
  account: { table: "lake_accounts", label: "e.name", search: ["name", "uen", "vat", "domain", "email"], owned: false },
  contact: { table: "lake_contacts", label: "e.name", search: ["name", "email", "company_name"], owned: false },
  opportunity: { table: "lake_opportunities", label: "e.name", search: ["name", "stage_name"], owned: true },
  activity: { table: "lake_activities", label: "coalesce(e.summary, e.activity_type)", search: ["summary", "activity_type"], owned: true },
};

export type SourceRefRow = { source: LakeSource; entity: string; sourceId: string; seenAt: Date; removedAt: Date | null };

export type EntityRow = {
  id: string;
  label: string;
  active: boolean;
  deletedAt: Date | null;
  updatedAt: Date;
  /** The entity's canonical columns as stored (snake_case), without the tenant and the content hash. */
  attributes: Record<string, unknown>;
  sources: SourceRefRow[];
};

export const ENTITY_PAGE_MAX = 200;

function entitySelect(kind: CanonicalKind): Prisma.Sql {
  const { table, label } = ENTITY_TABLES[kind];
  return Prisma.sql`
    SELECT e.id, ${Prisma.raw(label)} AS label, e.active, e.deleted_at AS "deletedAt", e.updated_at AS "updatedAt",
           to_jsonb(e) - 'tenant_id' - 'content_hash' AS attributes
    FROM ${Prisma.raw(table)} e`;
}

async function withSources(tx: TenantTx, kind: CanonicalKind, rows: Array<Omit<EntityRow, "sources">>): Promise<EntityRow[]> {
  if (!rows.length) return [];
  const refs = await tx.$queryRaw<Array<SourceRefRow & { canonicalId: string }>>`
    SELECT canonical_id AS "canonicalId", source, entity, source_id AS "sourceId", seen_at AS "seenAt", removed_at AS "removedAt"
    FROM lake_source_records
    WHERE canonical_id = ANY(${rows.map((row) => row.id)}::uuid[]) AND canonical_kind = ${kind}
    ORDER BY source, entity, source_id`;
  return rows.map((row) => ({ ...row, sources: refs.filter((ref) => ref.canonicalId === row.id).map(({ canonicalId: _id, ...ref }) => ref) }));
}

/** A page of entities that are still in their sources, after `cursor` (the last id of the previous page). */
export async function listEntities(
  tx: TenantTx,
  kind: CanonicalKind,
  query: { cursor: string | null; limit: number; q?: string | null; scope?: LakeScope },
): Promise<{ items: EntityRow[]; nextCursor: string | null }> {
  const { search, owned } = ENTITY_TABLES[kind];
  const where = [Prisma.sql`e.deleted_at IS NULL`];
  if (query.cursor) where.push(Prisma.sql`e.id > ${query.cursor}::uuid`);
  if (query.q) {
    const pattern = containsPattern(query.q);
    where.push(
      Prisma.sql`(${Prisma.join(
        search.map((column) => Prisma.sql`e.${Prisma.raw(column)} ILIKE ${pattern}`),
        " OR ",
      )})`,
    );
  }
  if (owned) where.push(ownedBy(query.scope ?? WHOLE_TENANT, Prisma.sql`e.owner_id`));
  const rows = await tx.$queryRaw<Array<Omit<EntityRow, "sources">>>`
    ${entitySelect(kind)} WHERE ${Prisma.join(where, " AND ")} ORDER BY e.id LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  return { items: await withSources(tx, kind, page), nextCursor: rows.length > query.limit ? page.at(-1)!.id : null };
}

export type RawVersion = {
  id: string;
  source: LakeSource;
  entity: string;
  sourceId: string;
  version: string | null;
  removed: boolean;
  fetchedAt: Date;
  syncRunId: string;
  payload: unknown;
};

/** How many raw versions an entity's detail shows, newest first. */
export const RAW_HISTORY_LIMIT = 50;

/** One entity, deleted or not, with its source records and their raw versions; null when this tenant has no such entity. */
export async function entityDetail(
  tx: TenantTx,
  kind: CanonicalKind,
  id: string,
  options: { historyLimit?: number; scope?: LakeScope } = {},
): Promise<(EntityRow & { history: RawVersion[] }) | null> {
  const where = [Prisma.sql`e.id = ${id}::uuid`];
  if (ENTITY_TABLES[kind].owned) where.push(ownedBy(options.scope ?? WHOLE_TENANT, Prisma.sql`e.owner_id`));
  const [row] = await tx.$queryRaw<Array<Omit<EntityRow, "sources">>>`${entitySelect(kind)} WHERE ${Prisma.join(where, " AND ")}`;
  if (!row) return null;
  const [entity] = await withSources(tx, kind, [row]);
  const limit = options.historyLimit ?? RAW_HISTORY_LIMIT;
  // Newest versions of each source record through the raw zone's (source, entity, source_id, id) index, then merged.
  const history = await tx.$queryRaw<RawVersion[]>`
    SELECT v.id::text AS id, v.source, v.entity, v.source_id AS "sourceId", v.version, v.removed, v.fetched_at AS "fetchedAt",
           v.sync_run_id AS "syncRunId", v.payload
    FROM lake_source_records s
    CROSS JOIN LATERAL (
      SELECT * FROM lake_raw_records r
      WHERE r.source = s.source AND r.entity = s.entity AND r.source_id = s.source_id
      ORDER BY r.id DESC LIMIT ${limit}
    ) v
    WHERE s.canonical_id = ${id}::uuid AND s.canonical_kind = ${kind}
    ORDER BY v.id DESC LIMIT ${limit}`;
  return { ...entity!, history };
}
