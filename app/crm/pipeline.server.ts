import { type TenantViewer } from "~/auth/guards.server";
import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { seesLakeRows, type LakeAccess } from "~/lake/hierarchy";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { overviewPeriods } from "~/lake/overview-periods";
import { dashboardOverview, ownedBy, type DashboardOverview } from "~/lake/serving-reads.server";
import { maskName } from "~/privacy/mask";
import { funnelStages, groupFigures, type GroupedRow, type GroupFigures, type Outcome, type PipelineFilters, type StageFigures } from "./pipeline";

/**
 * The Pipeline page's one read, for the page and `GET /api/dashboard/pipeline`
 * alike, inside the caller's `withLakeAccess` transaction (the hierarchy
 * policy decides which rows exist; the same owners in the query let Postgres
 * use the owner columns).
 *
 * The breakdowns come from the serving zone (its per-tag copy for a tag).
 * Deals closing this month and overdue read canonical through the
 * open-deadline index: the serving zone has no deadline.
 */

export type PipelineOption = { id: string; name: string };

export type PipelineDashboard = {
  asOf: string;
  filters: PipelineFilters;
  /** Whether the lake holds any deal the caller may see; false shows the empty state. */
  hasData: boolean;
  /** The deals' currency when they share one; `mixed` when they do not (amounts are then summed as the source gives them). */
  currency: { code: string | null; mixed: boolean };
  overview: DashboardOverview;
  funnel: StageFigures[];
  byTeam: GroupFigures[];
  byOwner: GroupFigures[];
  /** Open deals due in the current Singapore month, and before today, whatever month they opened. */
  closingThisMonth: { count: number; value: number };
  overdue: { count: number; value: number };
  options: { teams: PipelineOption[]; owners: PipelineOption[]; tags: string[] };
};

const monthStart = (month: string) => `${month}-01`;

/** Count, value and weighted value of each outcome, side by side: a group is one row, not three. */
const groupedFigures = Prisma.raw(
  (["open", "won", "lost"] as const)
    .map(
      (outcome) =>
        `coalesce(sum(p.count) FILTER (WHERE p.outcome = '${outcome}'), 0)::int AS ${outcome}_count, ` +
        `coalesce(sum(p.value) FILTER (WHERE p.outcome = '${outcome}'), 0)::float8 AS ${outcome}_value, ` +
        `coalesce(sum(p.weighted_value) FILTER (WHERE p.outcome = '${outcome}'), 0)::float8 AS ${outcome}_weighted`,
    )
    .join(", "),
);

/** The filters on a serving table `p`; `owned` false for a table without owners (only whole-tenant callers read those). */
function servingWhere(access: LakeAccess, filters: PipelineFilters, owned = true): Prisma.Sql {
  return Prisma.join(
    [
      owned ? ownedBy(access.scope, Prisma.sql`p.owner_id`) : Prisma.sql`TRUE`,
      Prisma.sql`p.month >= ${monthStart(filters.openedFrom)}::date AND p.month <= ${monthStart(filters.openedTo)}::date`,
      filters.team ? Prisma.sql`p.team_id = ${filters.team}::uuid` : Prisma.sql`TRUE`,
      filters.owner ? Prisma.sql`p.owner_id = ${filters.owner}::uuid` : Prisma.sql`TRUE`,
      filters.tag ? Prisma.sql`p.tag = ${filters.tag}` : Prisma.sql`TRUE`,
    ],
    " AND ",
  );
}

/**
 * The figures per stage, team and owner. A caller who sees the whole tenant
 * without naming an owner or a tag reads the coarse copies (by stage and
 * team, by owner): a tenth of the groups. Otherwise the full summary (its
 * per-tag copy for a tag, a deal counted under each tag it carries), narrowed
 * to the caller's owners.
 */
function groupedQuery(access: LakeAccess, filters: PipelineFilters): Prisma.Sql {
  if (access.scope.ownerIds === null && !filters.owner && !filters.tag)
    return Prisma.sql`
      SELECT CASE WHEN GROUPING(p.stage) = 0 THEN 'stage' ELSE 'team' END AS grouping, p.stage, p.team_id, NULL::uuid AS owner_id, ${groupedFigures}
      FROM lake_pipeline_team_summary p WHERE ${servingWhere(access, filters, false)}
      GROUP BY GROUPING SETS ((p.stage), (p.team_id))
      UNION ALL
      SELECT 'owner', NULL, NULL, p.owner_id, ${groupedFigures}
      FROM lake_pipeline_owner_summary p WHERE ${servingWhere(access, filters)}
      GROUP BY p.owner_id`;
  const table = filters.tag ? Prisma.sql`lake_pipeline_tag_summary` : Prisma.sql`lake_pipeline_summary`;
  return Prisma.sql`
    SELECT CASE WHEN GROUPING(p.stage) = 0 THEN 'stage' WHEN GROUPING(p.team_id) = 0 THEN 'team' ELSE 'owner' END AS grouping,
           p.stage, p.team_id, p.owner_id, ${groupedFigures}
    FROM ${table} p WHERE ${servingWhere(access, filters)}
    GROUP BY GROUPING SETS ((p.stage), (p.team_id), (p.owner_id))`;
}

type GroupedFiguresRow = Pick<GroupedRow, "grouping" | "stage" | "sequence"> & {
  team_id: string | null;
  team_name: string | null;
  owner_id: string | null;
  owner_name: string | null;
} & { [K in `${Outcome}_${"count" | "value" | "weighted"}`]: number };

/**
 * The grouped figures with their teams' and owners' names and their stages'
 * sequences (one index probe per stage, as its deals record it), in one
 * statement: one round trip and one row per group.
 */
async function groupedRows(tx: TenantTx, access: LakeAccess, filters: PipelineFilters): Promise<GroupedRow[]> {
  const rows = await tx.$queryRaw<GroupedFiguresRow[]>`
    WITH g AS (${groupedQuery(access, filters)})
    SELECT g.*, t.name AS team_name, u.name AS owner_name,
           CASE WHEN g.grouping = 'stage' THEN
             (SELECT o.stage_sequence FROM lake_opportunities o
              WHERE o.stage_name = g.stage AND o.stage_sequence IS NOT NULL ORDER BY o.stage_sequence LIMIT 1) END AS sequence
    FROM g
    LEFT JOIN lake_teams t ON g.grouping = 'team' AND t.id = g.team_id
    LEFT JOIN lake_users u ON g.grouping = 'owner' AND u.id = g.owner_id`;
  const full = seesLakeRows(access);
  const figures = (row: GroupedFiguresRow, outcome: Outcome) => ({
    count: row[`${outcome}_count`],
    value: row[`${outcome}_value`],
    weightedValue: row[`${outcome}_weighted`],
  });
  return rows.map((row) => ({
    grouping: row.grouping,
    stage: row.stage,
    sequence: row.sequence,
    teamId: row.team_id,
    teamName: row.team_name,
    ownerId: row.owner_id,
    ownerName: row.owner_name && !full ? maskName(row.owner_name) : row.owner_name,
    open: figures(row, "open"),
    won: figures(row, "won"),
    lost: figures(row, "lost"),
  }));
}

/** Each stage's sequence as its deals record it, one index probe per stage (a stage-less deal's stage is its kind and has none). */
export async function stageSequences(tx: TenantTx, stages: string[]): Promise<Map<string, number | null>> {
  const rows = await tx.$queryRaw<Array<{ stage: string; sequence: number | null }>>`
    SELECT s.stage, (SELECT o.stage_sequence FROM lake_opportunities o
                     WHERE o.stage_name = s.stage AND o.stage_sequence IS NOT NULL
                     ORDER BY o.stage_sequence LIMIT 1) AS sequence
    FROM unnest(${stages}::text[]) AS s(stage)`;
  return new Map(rows.map((row) => [row.stage, row.sequence]));
}

/**
 * Open deals due this Singapore month, and before today. Without a tag, the
 * whole months (this one's total, and the ones before it, overdue) come from
 * the open deals' months, and only this month's days before today from the
 * deals (the open-deadline index); a tag, which the months do not carry,
 * reads the deals throughout.
 */
async function dueDeals(tx: TenantTx, access: LakeAccess, filters: PipelineFilters, now: Date) {
  const periods = overviewPeriods(now);
  const narrowed = (table: string) =>
    Prisma.join(
      [
        ownedBy(access.scope, Prisma.raw(`${table}.owner_id`)),
        filters.team ? Prisma.sql`${Prisma.raw(table)}.team_id = ${filters.team}::uuid` : Prisma.sql`TRUE`,
        filters.owner ? Prisma.sql`${Prisma.raw(table)}.owner_id = ${filters.owner}::uuid` : Prisma.sql`TRUE`,
      ],
      " AND ",
    );
  const openDeals = Prisma.sql`o.outcome = 'open' AND o.active AND o.deleted_at IS NULL AND o.deadline IS NOT NULL AND ${narrowed("o")}`;
  const thisMonth = Prisma.sql`${periods.thisMonth}::date`;
  const today = Prisma.sql`${periods.today}::date`;
  // Each row says whether it is due this month, overdue, or both (this month's days before today).
  const source = filters.tag
    ? Prisma.sql`
        SELECT o.deadline >= ${thisMonth} AS this_month, o.deadline < ${today} AS overdue, 1 AS count, o.expected_revenue AS value
        FROM lake_opportunities o
        WHERE ${openDeals} AND o.deadline < ${periods.nextMonth}::date AND o.tags @> ARRAY[${filters.tag}]::text[]`
    : Prisma.sql`
        SELECT m.month = ${thisMonth} AS this_month, m.month < ${thisMonth} AS overdue, m.count, m.value FROM lake_open_deal_months m
        WHERE m.measure = 'deadline' AND m.month <= ${thisMonth} AND ${narrowed("m")}
        UNION ALL
        SELECT FALSE, TRUE, 1, o.expected_revenue FROM lake_opportunities o
        WHERE ${openDeals} AND o.deadline >= ${thisMonth} AND o.deadline < ${today}`;
  const [due] = await tx.$queryRaw<[{ month_count: number; month_value: number; overdue_count: number; overdue_value: number }]>`
    SELECT coalesce(sum(d.count) FILTER (WHERE d.this_month), 0)::int AS month_count,
           coalesce(sum(d.value) FILTER (WHERE d.this_month), 0)::float8 AS month_value,
           coalesce(sum(d.count) FILTER (WHERE d.overdue), 0)::int AS overdue_count,
           coalesce(sum(d.value) FILTER (WHERE d.overdue), 0)::float8 AS overdue_value
    FROM (${source}) d`;
  return { closingThisMonth: { count: due.month_count, value: due.month_value }, overdue: { count: due.overdue_count, value: due.overdue_value } };
}

/** Lowest and highest currency through the currency index: one each, or mixed. */
async function dealCurrency(tx: TenantTx): Promise<PipelineDashboard["currency"]> {
  const [range] = await tx.$queryRaw<[{ low: string | null; high: string | null }]>`
    SELECT min(currency) AS low, max(currency) AS high FROM lake_opportunities WHERE currency IS NOT NULL`;
  return { code: range.low, mixed: range.low !== range.high };
}

/** What the filter form offers: the teams and owners the caller may narrow to, and the source's tags. */
async function filterOptions(tx: TenantTx, access: LakeAccess): Promise<PipelineDashboard["options"]> {
  const teams = await tx.$queryRaw<PipelineOption[]>`
    SELECT id, name FROM lake_teams
    WHERE deleted_at IS NULL AND ${access.role === "manager" ? Prisma.sql`id = ANY(${access.teamIds}::uuid[])` : Prisma.sql`TRUE`}
    ORDER BY name, id`;
  const owners = await tx.$queryRaw<PipelineOption[]>`
    SELECT id, name FROM lake_users WHERE deleted_at IS NULL AND ${ownedBy(access.scope, Prisma.sql`id`)} ORDER BY name, id`;
  const tags = await tx.$queryRaw<Array<{ name: string }>>`
    SELECT DISTINCT r.payload->>'name' AS name FROM lake_source_records s
    JOIN lake_raw_records r ON r.tenant_id = s.tenant_id AND r.id = s.raw_id
    WHERE s.source = 'odoo' AND s.entity = 'crm.tag' AND s.removed_at IS NULL AND r.payload->>'name' IS NOT NULL
    ORDER BY 1`;
  const full = seesLakeRows(access);
  return { teams, owners: owners.map((o) => ({ id: o.id, name: full ? o.name : maskName(o.name) })), tags: tags.map((t) => t.name) };
}

/**
 * The page's figures for a request. The funnel and breakdowns, the deadlines
 * and filter choices, and the headline figures read different tables, so each
 * goes in its own transaction side by side: the request waits for the longest
 * of the three, not their sum.
 */
export async function loadPipelineDashboard(viewer: TenantViewer, filters: PipelineFilters, now = new Date()): Promise<PipelineDashboard> {
  const [groups, context, overview] = await Promise.all([
    withLakeAccess(viewer, (tx, access) => pipelineGroups(tx, access, filters)),
    withLakeAccess(viewer, (tx, access) => pipelineContext(tx, access, filters, now)),
    withLakeAccess(viewer, (tx, access) => dashboardOverview(tx, access.scope, now)),
  ]);
  return { asOf: now.toISOString(), filters, ...context, ...groups, overview };
}

/** The funnel, and the figures per team and per owner. */
export async function pipelineGroups(
  tx: TenantTx,
  access: LakeAccess,
  filters: PipelineFilters,
): Promise<Pick<PipelineDashboard, "funnel" | "byTeam" | "byOwner">> {
  const rows = await groupedRows(tx, access, filters);
  return { funnel: funnelStages(rows), byTeam: groupFigures(rows, "team"), byOwner: groupFigures(rows, "owner") };
}

/** Whether there is anything to show, in which currency, the deals due, and what the filter form offers. */
async function pipelineContext(
  tx: TenantTx,
  access: LakeAccess,
  filters: PipelineFilters,
  now: Date,
): Promise<Pick<PipelineDashboard, "hasData" | "currency" | "closingThisMonth" | "overdue" | "options">> {
  const [{ any }] = await tx.$queryRaw<[{ any: boolean }]>`
    SELECT EXISTS (SELECT 1 FROM lake_opportunities o WHERE o.deleted_at IS NULL AND ${ownedBy(access.scope, Prisma.sql`o.owner_id`)}) AS any`;
  return {
    hasData: any,
    currency: await dealCurrency(tx),
    ...(await dueDeals(tx, access, filters, now)),
    options: await filterOptions(tx, access),
  };
}
