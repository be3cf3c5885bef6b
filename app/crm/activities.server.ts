import { z } from "zod";
import { type TenantViewer } from "~/auth/guards.server";
import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { decodeFeedCursor } from "~/lake/feed-cursor";
import { seesLakeRows, type LakeAccess } from "~/lake/hierarchy";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { activityFeed, FEED_VIEWS, feedWhere, ownedBy, WHOLE_TENANT, type FeedItem, type FeedQuery } from "~/lake/serving-reads.server";
import { maskName } from "~/privacy/mask";
import { singaporeDate } from "~/utils/singapore-time";
import { formatZodIssues } from "~/utils/zod-issues";
import { recentWeeks, volumeGrid, type ActivityFilters, type VolumeGrid, type WeeklyCount } from "./activities";
import { ownerAndTeamChoices, type FilterChoice } from "./crm-filters.server";
import { crmFreshness } from "./data-as-of.server";

/**
 * The Activities page and `GET /api/dashboard/activities`: one read, so both
 * answer the same. The feed and the overdue counts come from canonical
 * activities (partial indexes keep them fast); the weekly volume from the
 * serving zone's daily KPI facts, which count done activities of every type.
 */

export const ACTIVITY_PAGE_MAX = 200;

const ActivitiesQuery = z
  .object({
    view: z.enum(FEED_VIEWS).default("done"),
    type: z.string().trim().min(1).max(200).optional(),
    owner: z.uuid().optional(),
    team: z.uuid().optional(),
    /** The `next_cursor` of the previous page, with the same filters. */
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(ACTIVITY_PAGE_MAX).default(50),
  })
  .strict();

export type ActivitiesQuery = z.infer<typeof ActivitiesQuery>;

/** The query of a page or API URL (empty parameters count as absent), or the reasons it is refused. */
export function parseActivitiesQuery(url: URL): { ok: true; query: ActivitiesQuery } | { ok: false; error: string; message: string } {
  const given = [...url.searchParams].filter(([, value]) => value !== "");
  const parsed = ActivitiesQuery.safeParse(Object.fromEntries(given));
  if (!parsed.success) return { ok: false, error: "invalid_query", message: formatZodIssues(parsed.error, "(query)") };
  if (parsed.data.cursor && !decodeFeedCursor(parsed.data.cursor))
    return { ok: false, error: "invalid_cursor", message: "The cursor is not one this feed made" };
  return { ok: true, query: parsed.data };
}

export type OverdueOwner = { ownerId: string | null; ownerName: string | null; overdue: number; oldestDueAt: Date };

export type ActivitiesView = {
  asOf: string;
  role: LakeAccess["role"];
  filters: ActivityFilters;
  /** Whether the feed starts at its beginning (no cursor). */
  firstPage: boolean;
  feed: { items: FeedItem[]; nextCursor: string | null };
  overdueByOwner: OverdueOwner[];
  volume: VolumeGrid;
  choices: { types: string[]; owners: FilterChoice[]; teams: FilterChoice[] };
};

/**
 * Everything the Activities page shows, within the caller's place in the
 * sales hierarchy; people masked for aggregates-only callers. The feed with
 * the page's choices, the overdue counts (canonical) and the weekly volume
 * (serving zone) go side by side in three transactions: the request waits for
 * the longest.
 */
export async function activitiesView(viewer: TenantViewer, query: ActivitiesQuery, now = new Date()) {
  const filters: ActivityFilters = { view: query.view, type: query.type, owner: query.owner, team: query.team };
  const feedQueryOf = (access: LakeAccess): FeedQuery => ({
    cursor: query.cursor ? decodeFeedCursor(query.cursor) : null,
    limit: query.limit,
    scope: access.scope,
    view: query.view,
    now,
    activityType: query.type,
    ownerId: query.owner,
    teamId: query.team,
  });
  const namer = (access: LakeAccess) => {
    const masked = !seesLakeRows(access);
    return { masked, name: (value: string | null) => (value && masked ? maskName(value) : value) };
  };
  const [lists, overdue, figures] = await Promise.all([
    withLakeAccess(viewer, async (tx, access) => {
      const { masked, name } = namer(access);
      const feed = await activityFeed(tx, feedQueryOf(access));
      return {
        role: access.role,
        feed: {
          nextCursor: feed.nextCursor,
          items: feed.items.map((item) => ({
            ...item,
            summary: masked ? null : item.summary,
            ownerName: name(item.ownerName),
            about: item.about && { ...item.about, name: name(item.about.name) },
          })),
        },
        choices: { types: await activityTypes(tx), ...(await ownerAndTeamChoices(tx, access)) },
        freshness: await crmFreshness(tx, now),
      };
    }),
    withLakeAccess(viewer, async (tx, access) => {
      const { name } = namer(access);
      return (await overdueByOwner(tx, { ...feedQueryOf(access), cursor: null })).map((row) => ({ ...row, ownerName: name(row.ownerName) }));
    }),
    withLakeAccess(viewer, (tx, access) => weeklyVolume(tx, access, filters, now, namer(access).name)),
  ]);
  const view: ActivitiesView = {
    asOf: now.toISOString(),
    role: lists.role,
    filters,
    firstPage: !query.cursor,
    feed: lists.feed,
    overdueByOwner: overdue,
    volume: figures,
    choices: lists.choices,
  };
  return { ...view, freshness: lists.freshness };
}

/**
 * Planned activities due before today (Singapore), per owner, most overdue
 * first. Without a type filter the months before this one come from the
 * planned activities' months and only this month's days from the activities,
 * and each owner's oldest due date is one probe of their feed index.
 */
function overdueByOwner(tx: TenantTx, query: FeedQuery): Promise<OverdueOwner[]> {
  const { where } = feedWhere({ ...query, view: "overdue" });
  if (query.activityType)
    return tx.$queryRaw<OverdueOwner[]>`
      SELECT o.owner_id AS "ownerId", u.name AS "ownerName", o.overdue, o.oldest AS "oldestDueAt"
      FROM (SELECT a.owner_id, count(*)::int AS overdue, min(a.at) AS oldest FROM lake_activities a
            WHERE ${Prisma.join(where, " AND ")} GROUP BY a.owner_id) o
      LEFT JOIN lake_users u ON u.id = o.owner_id
      ORDER BY o.overdue DESC, u.name NULLS LAST`;
  const month = `${singaporeDate(query.now ?? new Date()).slice(0, 7)}-01`;
  const months = [
    ownedBy(query.scope ?? WHOLE_TENANT, Prisma.sql`m.owner_id`),
    query.ownerId ? Prisma.sql`m.owner_id = ${query.ownerId}::uuid` : Prisma.sql`TRUE`,
    query.teamId ? Prisma.sql`m.owner_id IN (SELECT id FROM lake_users WHERE team_id = ${query.teamId}::uuid)` : Prisma.sql`TRUE`,
  ];
  const planned = Prisma.sql`a.state = 'planned' AND a.active AND a.deleted_at IS NULL`;
  return tx.$queryRaw<OverdueOwner[]>`
    SELECT c.owner_id AS "ownerId", u.name AS "ownerName", c.overdue,
           coalesce((SELECT min(a.at) FROM lake_activities a WHERE a.owner_id = c.owner_id AND ${planned}),
                    (SELECT min(a.at) FROM lake_activities a WHERE c.owner_id IS NULL AND a.owner_id IS NULL AND ${planned})) AS "oldestDueAt"
    FROM (
      SELECT owner_id, sum(count)::int AS overdue FROM (
        SELECT m.owner_id, m.count FROM lake_planned_activity_months m WHERE m.month < ${month}::date AND ${Prisma.join(months, " AND ")}
        UNION ALL
        SELECT a.owner_id, 1 FROM lake_activities a WHERE ${Prisma.join(where, " AND ")} AND a.at >= ${new Date(`${month}T00:00:00+08:00`)}
      ) counted GROUP BY owner_id HAVING sum(count) > 0
    ) c
    LEFT JOIN lake_users u ON u.id = c.owner_id
    ORDER BY c.overdue DESC, u.name NULLS LAST`;
}

/**
 * Done activities per rep per Singapore week (Monday first) over the last
 * weeks, from the daily KPI facts. Weeks are counted as whole days from the
 * first Monday (date arithmetic, no time zone), and each rep comes back as one
 * row of week numbers and counts: a few hundred rows instead of one per rep
 * and week, and the names joined after the sums.
 */
async function weeklyVolume(tx: TenantTx, access: LakeAccess, filters: ActivityFilters, now: Date, name: (value: string | null) => string | null) {
  const weeks = recentWeeks(now);
  const reps = await tx.$queryRaw<Array<{ ownerId: string | null; ownerName: string | null; weeks: number[]; done: number[] }>>`
    SELECT c.owner_id AS "ownerId", u.name AS "ownerName", c.weeks, c.done
    FROM (
      SELECT owner_id, array_agg(week ORDER BY week) AS weeks, array_agg(done ORDER BY week) AS done
      FROM (
        SELECT k.owner_id, (k.day - ${weeks[0]}::date) / 7 AS week, sum(k.activities_done)::int AS done
        FROM lake_kpi_daily k
        WHERE k.day >= ${weeks[0]}::date AND k.day < ${weeks.at(-1)}::date + 7 AND k.activities_done > 0
          AND ${ownedBy(access.scope, Prisma.sql`k.owner_id`)}
          AND ${filters.owner ? Prisma.sql`k.owner_id = ${filters.owner}::uuid` : Prisma.sql`TRUE`}
          AND ${filters.team ? Prisma.sql`k.team_id = ${filters.team}::uuid` : Prisma.sql`TRUE`}
        GROUP BY 1, 2
      ) per_week
      GROUP BY owner_id
    ) c
    LEFT JOIN lake_users u ON u.id = c.owner_id`;
  const counts: WeeklyCount[] = reps.flatMap((rep) =>
    rep.weeks.map((week, i) => ({ ownerId: rep.ownerId, ownerName: name(rep.ownerName), week: weeks[week]!, done: rep.done[i]! })),
  );
  return volumeGrid(counts, weeks);
}

/** The activity types the type filter offers, found by skipping through the type index (a probe per type). */
async function activityTypes(tx: TenantTx): Promise<string[]> {
  const types = await tx.$queryRaw<Array<{ type: string }>>`
    WITH RECURSIVE t(type) AS (
      (SELECT activity_type FROM lake_activities ORDER BY activity_type LIMIT 1)
      UNION ALL
      SELECT (SELECT activity_type FROM lake_activities WHERE activity_type > t.type ORDER BY activity_type LIMIT 1) FROM t WHERE t.type IS NOT NULL
    )
    SELECT type FROM t WHERE type IS NOT NULL`;
  return types.map((t) => t.type);
}
