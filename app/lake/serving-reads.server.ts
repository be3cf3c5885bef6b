import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { singaporeDate } from "~/utils/singapore-time";
import { encodeFeedCursor, type FeedPosition } from "./feed-cursor";
import { closedFigures, type ClosedFigures, type ClosedTotals } from "./kpi-figures";
import { overviewPeriods } from "./overview-periods";
import { SERVING_TIME_ZONE } from "./serving.server";

/**
 * What the dashboards read from the lake: the serving zone's aggregates, and
 * from canonical only what has no aggregate (stale deals, the feed).
 */

/**
 * Whose records a reader sees: `null` is everyone's (tenant admins and
 * members today); a list narrows every figure to those owners' records.
 */
export type LakeScope = { ownerIds: string[] | null };

export const WHOLE_TENANT: LakeScope = { ownerIds: null };

/** A deal is stale when it is open and neither it nor any activity about it moved in this many days. */
const SINGAPORE = Prisma.sql`${SERVING_TIME_ZONE}::text`;

export const STALE_AFTER_DAYS = 30;

export type { ClosedFigures } from "./kpi-figures";

export function ownedBy(scope: LakeScope, column: Prisma.Sql): Prisma.Sql {
  if (!scope.ownerIds) return Prisma.sql`TRUE`;
  // One owner (a rep) as an equality, so an index led by the owner returns its rows in order of the columns after it.
  if (scope.ownerIds.length === 1) return Prisma.sql`${column} = ${scope.ownerIds[0]}::uuid`;
  return Prisma.sql`${column} = ANY(${scope.ownerIds}::uuid[])`;
}

export type DashboardOverview = {
  asOf: string;
  openPipeline: { count: number; value: number; weightedValue: number };
  thisMonth: ClosedFigures;
  lastMonth: ClosedFigures;
  /** Done activities of the last 30 Singapore days, per rep who did any. */
  activities: { total: number; reps: number; perRep: number | null; byRep: Array<{ ownerId: string | null; name: string | null; done: number }> };
  stale: { count: number; value: number };
};

export async function dashboardOverview(tx: TenantTx, scope: LakeScope, now = new Date()): Promise<DashboardOverview> {
  const periods = overviewPeriods(now);
  const [open] = await tx.$queryRaw<[{ count: number; value: number; weighted: number }]>`
    SELECT coalesce(sum(count), 0)::int AS count, coalesce(sum(value), 0)::float8 AS value, coalesce(sum(weighted_value), 0)::float8 AS weighted
    FROM lake_pipeline_owner_totals WHERE outcome = 'open' AND ${ownedBy(scope, Prisma.sql`owner_id`)}`;
  const months = await tx.$queryRaw<Array<ClosedTotals & { month: string }>>`
    SELECT date_trunc('month', day)::date::text AS month, sum(won)::int AS won, sum(lost)::int AS lost,
           sum(won_value)::float8 AS won_value, sum(cycle_days_total)::float8 AS cycle_days
    FROM lake_kpi_daily
    WHERE day >= ${periods.lastMonth}::date AND day < ${periods.nextMonth}::date AND ${ownedBy(scope, Prisma.sql`owner_id`)}
    GROUP BY 1`;
  const byRep = await tx.$queryRaw<Array<{ ownerId: string | null; name: string | null; done: number }>>`
    SELECT k.owner_id AS "ownerId", u.name, sum(k.activities_done)::int AS done
    FROM lake_kpi_daily k LEFT JOIN lake_users u ON u.id = k.owner_id
    WHERE k.day >= ${periods.last30Days}::date AND k.day <= ${periods.today}::date AND k.activities_done > 0
      AND ${ownedBy(scope, Prisma.sql`k.owner_id`)}
    GROUP BY k.owner_id, u.name ORDER BY done DESC, u.name`;
  const total = byRep.reduce((sum, rep) => sum + rep.done, 0);
  return {
    asOf: now.toISOString(),
    openPipeline: { count: open.count, value: open.value, weightedValue: open.weighted },
    thisMonth: closedFigures(months.find((m) => m.month === periods.thisMonth)),
    lastMonth: closedFigures(months.find((m) => m.month === periods.lastMonth)),
    activities: { total, reps: byRep.length, perRep: byRep.length ? total / byRep.length : null, byRep },
    stale: await staleOpportunities(tx, scope, now),
  };
}

/**
 * Open deals untouched for STALE_AFTER_DAYS: not updated, and no activity
 * dated since (a planned one ahead counts as attention); `attended_at` is the
 * later of the two. Whole Singapore months before the cutoff come from the
 * open deals' months, the cutoff's own month from the deals themselves.
 */
export async function staleOpportunities(
  tx: TenantTx,
  scope: LakeScope,
  now: Date,
  filters: { ownerId?: string; teamId?: string } = {},
): Promise<{ count: number; value: number }> {
  const since = new Date(now.getTime() - STALE_AFTER_DAYS * 86_400_000);
  const narrowed = (table: string) =>
    Prisma.join(
      [
        ownedBy(scope, Prisma.raw(`${table}.owner_id`)),
        filters.ownerId ? Prisma.sql`${Prisma.raw(table)}.owner_id = ${filters.ownerId}::uuid` : Prisma.sql`TRUE`,
        filters.teamId ? Prisma.sql`${Prisma.raw(table)}.team_id = ${filters.teamId}::uuid` : Prisma.sql`TRUE`,
      ],
      " AND ",
    );
  const cutoffMonth = Prisma.sql`date_trunc('month', ${since}::timestamptz AT TIME ZONE ${SINGAPORE})::date`;
  const [stale] = await tx.$queryRaw<[{ count: number; value: number }]>`
    SELECT coalesce(sum(count), 0)::int AS count, coalesce(sum(value), 0)::float8 AS value FROM (
      SELECT m.count, m.value FROM lake_open_deal_months m
      WHERE m.measure = 'attended' AND m.month < ${cutoffMonth} AND ${narrowed("m")}
      UNION ALL
      SELECT 1, o.expected_revenue FROM lake_opportunities o
      WHERE o.outcome = 'open' AND o.active AND o.deleted_at IS NULL
        AND o.attended_at >= (${cutoffMonth}::timestamp AT TIME ZONE ${SINGAPORE}) AND o.attended_at < ${since}
        AND ${narrowed("o")}
    ) stale`;
  return stale;
}

export type KpiDay = ClosedFigures & { day: string; activitiesDone: number; cycleDaysTotal: number };

/** Longest KPI series one read returns. */
export const KPI_SERIES_MAX_DAYS = 366;

/** One row per Singapore day from `from` to `to` (both included), days without data as zeros; `teamIds` narrows to those teams' facts. */
export async function kpiSeries(tx: TenantTx, query: { from: string; to: string; ownerIds?: string[]; teamIds?: string[] }): Promise<KpiDay[]> {
  const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 + 1;
  if (!(days >= 1 && days <= KPI_SERIES_MAX_DAYS))
    throw new RangeError(`A KPI series spans 1 to ${KPI_SERIES_MAX_DAYS} days, not ${query.from} to ${query.to}`);
  const scope: LakeScope = { ownerIds: query.ownerIds ?? null };
  const teams = query.teamIds ? Prisma.sql`k.team_id = ANY(${query.teamIds}::uuid[])` : Prisma.sql`TRUE`;
  const rows = await tx.$queryRaw<Array<ClosedTotals & { day: string; activities: number }>>`
    SELECT d.day::date::text AS day, coalesce(sum(k.won), 0)::int AS won, coalesce(sum(k.lost), 0)::int AS lost,
           coalesce(sum(k.won_value), 0)::float8 AS won_value, coalesce(sum(k.cycle_days_total), 0)::float8 AS cycle_days,
           coalesce(sum(k.activities_done), 0)::int AS activities
    FROM generate_series(${query.from}::date, ${query.to}::date, interval '1 day') AS d(day)
    LEFT JOIN lake_kpi_daily k ON k.day = d.day::date AND ${ownedBy(scope, Prisma.sql`k.owner_id`)} AND ${teams}
      -- The range again on the KPI rows themselves, so they are found by day (or owner and day) instead of all joined.
      AND k.day BETWEEN ${query.from}::date AND ${query.to}::date
    GROUP BY d.day ORDER BY d.day`;
  return rows.map((row) => ({ day: row.day, ...closedFigures(row), activitiesDone: row.activities, cycleDaysTotal: row.cycle_days }));
}

export type FeedItem = {
  id: string;
  activityType: string;
  summary: string | null;
  state: "planned" | "done";
  at: Date;
  ownerId: string | null;
  ownerName: string | null;
  /** The source the activity came from (an Odoo activity or a Microsoft 365 calendar event). */
  source: string | null;
  about: { kind: string; id: string; name: string | null } | null;
};

/**
 * Which activities a feed lists: done ones newest first; planned ones due
 * today or later, soonest first; overdue ones, longest overdue first. As in
 * Odoo, an activity is overdue once its due day (in Singapore) is past: one
 * due today is not overdue yet, whatever the hour.
 */
export const FEED_VIEWS = ["done", "planned", "overdue"] as const;
export type FeedView = (typeof FEED_VIEWS)[number];

export type FeedQuery = {
  cursor: FeedPosition | null;
  limit: number;
  scope?: LakeScope;
  view?: FeedView;
  now?: Date;
  activityType?: string;
  ownerId?: string;
  /** The owner's team, as the KPI facts count it. */
  teamId?: string;
};

/** The conditions of a feed query on `lake_activities a`; the overdue-per-owner count shares them. */
export function feedWhere(query: FeedQuery): { where: Prisma.Sql[]; descending: boolean } {
  const view = query.view ?? "done";
  const now = query.now ?? new Date();
  const descending = view === "done";
  const where = [
    Prisma.sql`a.active AND a.deleted_at IS NULL`,
    Prisma.sql`a.state = ${view === "done" ? "done" : "planned"}`,
    ownedBy(query.scope ?? WHOLE_TENANT, Prisma.sql`a.owner_id`),
  ];
  const today = new Date(`${singaporeDate(now)}T00:00:00+08:00`);
  if (view === "planned") where.push(Prisma.sql`a.at >= ${today}`);
  if (view === "overdue") where.push(Prisma.sql`a.at < ${today}`);
  if (query.activityType) where.push(Prisma.sql`a.activity_type = ${query.activityType}`);
  if (query.ownerId) where.push(Prisma.sql`a.owner_id = ${query.ownerId}::uuid`);
  if (query.teamId) where.push(Prisma.sql`a.owner_id IN (SELECT id FROM lake_users WHERE team_id = ${query.teamId}::uuid)`);
  if (query.cursor) where.push(Prisma.sql`(a.at, a.id) ${Prisma.raw(descending ? "<" : ">")} (${query.cursor.at}::timestamptz, ${query.cursor.id}::uuid)`);
  return { where, descending };
}

/** A page of the feed, each activity with its owner, its source and what it is about; keyset-paged on (at, id). */
export async function activityFeed(tx: TenantTx, query: FeedQuery): Promise<{ items: FeedItem[]; nextCursor: string | null }> {
  const { where, descending } = feedWhere(query);
  const direction = Prisma.raw(descending ? "DESC" : "ASC");
  const rows = await tx.$queryRaw<Array<Omit<FeedItem, "about"> & { aboutKind: string | null; aboutId: string | null; aboutName: string | null }>>`
    SELECT a.id, a.activity_type AS "activityType", a.summary, a.state, a.at, a.owner_id AS "ownerId", u.name AS "ownerName",
           (SELECT s.source FROM lake_source_records s
            WHERE s.canonical_id = a.id AND s.canonical_kind = 'activity' AND s.removed_at IS NULL ORDER BY s.source LIMIT 1) AS source,
           a.about_kind AS "aboutKind", a.about_id AS "aboutId", coalesce(op.name, ac.name, ct.name) AS "aboutName"
    FROM (SELECT * FROM lake_activities a WHERE ${Prisma.join(where, " AND ")} ORDER BY a.at ${direction}, a.id ${direction} LIMIT ${query.limit + 1}) a
    LEFT JOIN lake_users u ON u.id = a.owner_id
    LEFT JOIN lake_opportunities op ON a.about_kind = 'opportunity' AND op.id = a.about_id
    LEFT JOIN lake_accounts ac ON a.about_kind = 'account' AND ac.id = a.about_id
    LEFT JOIN lake_contacts ct ON a.about_kind = 'contact' AND ct.id = a.about_id
    ORDER BY a.at ${direction}, a.id ${direction}`;
  const items = rows.slice(0, query.limit).map(({ aboutKind, aboutId, aboutName, ...item }) => ({
    ...item,
    about: aboutKind && aboutId ? { kind: aboutKind, id: aboutId, name: aboutName } : null,
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encodeFeedCursor(last) : null };
}
