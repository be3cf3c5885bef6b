import { z } from "zod";
import { type TenantViewer } from "~/auth/guards.server";
import { isTenantAdmin } from "~/auth/roles";
import { ENTITY_TYPES, entityKindOf, listEntities, type EntityType } from "./entities.server";
import { maskPersonalEntity } from "./entity-privacy";
import { decodeFeedCursor, encodeFeedCursor } from "./feed-cursor";
import { seesLakeRows } from "./hierarchy";
import { withLakeAccess } from "./hierarchy.server";
import { syncHistory, syncStatus } from "./sync-status.server";

/** Everything the Data page shows, read in one tenant transaction. */

const RUNS_PER_PAGE = 15;
const ENTITIES_PER_PAGE = 25;

const DataQuery = z.object({
  type: z.enum(Object.keys(ENTITY_TYPES) as [EntityType, ...EntityType[]]).catch("accounts"),
  q: z.string().trim().max(200).catch(""),
  /** The entity list's keyset cursor: the last id of the previous page. */
  after: z.uuid().nullable().catch(null),
  /** The run history's cursor. */
  runs: z.string().max(200).nullable().catch(null),
});

export async function dataPage(viewer: TenantViewer, url: URL) {
  const roles = viewer.roles;
  const query = DataQuery.parse({
    type: url.searchParams.get("type") ?? undefined,
    q: url.searchParams.get("q") ?? "",
    after: url.searchParams.get("after") || null,
    runs: url.searchParams.get("runs") || null,
  });
  const kind = entityKindOf(query.type)!;
  const runsCursor = query.runs ? decodeFeedCursor(query.runs) : null;
  // The entity browser follows the sales hierarchy: a rep browses their own deals and activities, an aggregates-only caller everything masked.
  const { sources, history, entities, full } = await withLakeAccess(viewer, async (tx, access) => ({
    sources: await syncStatus(tx),
    history: await syncHistory(tx, { cursor: runsCursor, limit: RUNS_PER_PAGE }),
    entities: await listEntities(tx, kind, { cursor: query.after, limit: ENTITIES_PER_PAGE, q: query.q || null }),
    full: seesLakeRows(access),
  }));
  const masked = full ? entities.items : entities.items.map((item) => maskPersonalEntity(kind, item));
  return {
    sources,
    runs: history.runs,
    runsPaged: Boolean(runsCursor),
    olderRuns: history.next ? encodeFeedCursor(history.next) : null,
    entityTypes: Object.keys(ENTITY_TYPES) as EntityType[],
    entityType: query.type,
    q: query.q,
    entitiesPaged: Boolean(query.after),
    entities: masked.map(({ id, label, active, updatedAt, sources }) => ({ id, label, active, updatedAt, sources })),
    nextEntities: entities.nextCursor,
    /** The page polls while a sync is queued or running. */
    syncing: sources.some((source) => source.activeRun !== null),
    canSync: isTenantAdmin(roles),
  };
}
