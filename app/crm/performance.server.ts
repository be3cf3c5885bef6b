import { z } from "zod";
import { type TenantViewer } from "~/auth/guards.server";
import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { seesLakeRows, type LakeAccess } from "~/lake/hierarchy";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { shiftDays } from "~/lake/overview-periods";
import { KPI_SERIES_MAX_DAYS, kpiSeries, ownedBy, STALE_AFTER_DAYS, staleOpportunities } from "~/lake/serving-reads.server";
import { isCalendarDay } from "~/utils/calendar-day";
import { singaporeDate } from "~/utils/singapore-time";
import { formatZodIssues } from "~/utils/zod-issues";
import { ownerAndTeamChoices } from "./crm-filters.server";
import { crmFreshness } from "./data-as-of.server";
import {
  bucketKpiDays,
  bucketSize,
  cohortMonths,
  defaultPeriod,
  performanceLine,
  stageConversion,
  sumFacts,
  teamAndRepFacts,
  type FactsLine,
  type PerformanceLine,
  type RepTeamFacts,
  type StageGroup,
} from "./performance";
import { stageSequences } from "./pipeline.server";

/**
 * The Performance page and `GET /api/dashboard/kpis`: KPI facts of a period
 * from the serving zone (per bucket, per team, per rep), stale deals now, and
 * stage conversion of the deals opened in the period's months, read from
 * canonical. One read, so the page and the API agree.
 */

const isoDay = z.iso.date();

const KpisQuery = z
  .object({ from: isoDay.optional(), to: isoDay.optional(), team: z.uuid().optional(), owner: z.uuid().optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < KPI_SERIES_MAX_DAYS, {
    message: `A period spans at most ${KPI_SERIES_MAX_DAYS} days`,
    path: ["to"],
  });

export type KpisQuery = { from: string; to: string; team?: string; owner?: string };

/** The period and filters of a page or API URL, or why it is refused; without `from` or `to` the period is 90 days (up to today by default). */
export function parseKpisQuery(url: URL, now = new Date()): { ok: true; query: KpisQuery } | { ok: false; message: string } {
  const given = [...url.searchParams].filter(([, value]) => value !== "");
  const parsed = KpisQuery.safeParse(Object.fromEntries(given));
  if (!parsed.success) return { ok: false, message: formatZodIssues(parsed.error, "(query)") };
  const { from, to, ...filters } = parsed.data;
  const period = from && !to ? { from, to: shiftDays(from, 89) } : defaultPeriod(to ?? singaporeDate(now));
  const queried = { from: from ?? period.from, to: period.to };
  // A given day or the 90 days filled in around it can reach year 0000 or past 9999, which Postgres has no days for.
  if (!isCalendarDay(queried.from) || !isCalendarDay(queried.to)) return { ok: false, message: "from: the period must fall between 0001-01-01 and 9999-12-31" };
  return { ok: true, query: { ...queried, ...filters } };
}

type FactRow = FactsLine & { name: string | null };
export type TeamLine = PerformanceLine & { teamId: string | null; teamName: string | null };
export type RepLine = PerformanceLine & { ownerId: string | null; ownerName: string | null };

/**
 * Everything the Performance page shows within the caller's place in the
 * sales hierarchy; reps' lines only for callers who see people. The daily
 * series with the stale deals and stage conversion, the per-team and per-rep
 * lines, and the page's choices read in three transactions side by side: the
 * request waits for the longest, not their sum.
 */
export async function performanceView(viewer: TenantViewer, query: KpisQuery, now = new Date()) {
  const cohort = cohortMonths(query.from, query.to);
  const [trend, lines, page] = await Promise.all([
    withLakeAccess(viewer, async (tx, access) => ({
      days: await kpiSeries(tx, {
        from: query.from,
        to: query.to,
        ownerIds: query.owner ? [query.owner] : (access.scope.ownerIds ?? undefined),
        teamIds: query.team ? [query.team] : undefined,
      }),
      stale: await staleOpportunities(tx, access.scope, now, { ownerId: query.owner, teamId: query.team }),
      stages: await stageGroups(tx, access, query, cohort),
    })),
    withLakeAccess(viewer, async (tx, access) => ({ access, ...(await teamAndRepLines(tx, access, query)) })),
    withLakeAccess(viewer, async (tx, access) => ({ freshness: await crmFreshness(tx, now), choices: await ownerAndTeamChoices(tx, access) })),
  ]);
  const { access, teams, reps } = lines;
  const size = bucketSize(query.from, query.to);
  const masked = !seesLakeRows(access);
  return {
    asOf: now.toISOString(),
    role: access.role,
    period: { from: query.from, to: query.to, bucket: size },
    filters: { team: query.team ?? null, owner: query.owner ?? null },
    totals: performanceLine(sumFacts(trend.days), reps.filter((rep) => rep.activitiesDone > 0).length),
    series: bucketKpiDays(trend.days, size),
    stale: { ...trend.stale, afterDays: STALE_AFTER_DAYS },
    conversion: { ...cohort, stages: stageConversion(trend.stages) },
    byTeam: teams.map(({ id, name, reps: active, ...facts }): TeamLine => ({ teamId: id, teamName: name, ...performanceLine(facts, active) })),
    byRep: masked
      ? null
      : reps.map(({ id, name, ...facts }): RepLine => ({ ownerId: id, ownerName: name, ...performanceLine(facts, facts.activitiesDone > 0 ? 1 : 0) })),
    freshness: page.freshness,
    choices: page.choices,
  };
}

function factsFilter(access: LakeAccess, query: KpisQuery): Prisma.Sql {
  return Prisma.join(
    [
      Prisma.sql`k.day BETWEEN ${query.from}::date AND ${query.to}::date`,
      ownedBy(access.scope, Prisma.sql`k.owner_id`),
      query.owner ? Prisma.sql`k.owner_id = ${query.owner}::uuid` : Prisma.sql`TRUE`,
      query.team ? Prisma.sql`k.team_id = ${query.team}::uuid` : Prisma.sql`TRUE`,
    ],
    " AND ",
  );
}

/**
 * The period's facts per team and per rep (with how many reps did any
 * activity), biggest won value first, from one pass over the KPI facts
 * grouped by rep and team.
 */
async function teamAndRepLines(tx: TenantTx, access: LakeAccess, query: KpisQuery): Promise<{ teams: FactRow[]; reps: FactRow[] }> {
  const rows = await tx.$queryRaw<RepTeamFacts[]>`
    SELECT k.owner_id AS "ownerId", k.team_id AS "teamId", sum(k.won)::int AS won, sum(k.lost)::int AS lost, sum(k.won_value)::float8 AS "wonValue",
           sum(k.cycle_days_total)::float8 AS "cycleDaysTotal", sum(k.activities_done)::int AS "activitiesDone"
    FROM lake_kpi_daily k WHERE ${factsFilter(access, query)} GROUP BY 1, 2`;
  const { teams, reps } = teamAndRepFacts(rows);
  const teamNames = await namesOf(tx, Prisma.sql`lake_teams`, teams);
  const ownerNames = await namesOf(tx, Prisma.sql`lake_users`, reps);
  const named = (lines: FactsLine[], names: Map<string, string>) =>
    lines
      .map((line) => ({ ...line, name: line.id ? (names.get(line.id) ?? null) : null }))
      .sort((a, b) => b.wonValue - a.wonValue || (a.name === null ? 1 : b.name === null ? -1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { teams: named(teams, teamNames), reps: named(reps, ownerNames) };
}

async function namesOf(tx: TenantTx, table: Prisma.Sql, lines: FactsLine[]): Promise<Map<string, string>> {
  const ids = lines.flatMap((line) => (line.id ? [line.id] : []));
  const rows = await tx.$queryRaw<Array<{ id: string; name: string }>>`SELECT id, name FROM ${table} WHERE id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * The deals opened in the cohort's Singapore months, as the serving zone
 * counts them, by stage and outcome: from the stage-and-team copy for a
 * whole-tenant caller who names no owner, else from the summary narrowed to
 * the caller's owners.
 */
async function stageGroups(tx: TenantTx, access: LakeAccess, query: KpisQuery, cohort: { openedFrom: string; openedTo: string }): Promise<StageGroup[]> {
  const wholeTenant = access.scope.ownerIds === null && !query.owner;
  const rows = await tx.$queryRaw<Array<Omit<StageGroup, "sequence">>>`
    SELECT p.stage, p.outcome, sum(p.count)::int AS count
    FROM ${wholeTenant ? Prisma.sql`lake_pipeline_team_summary` : Prisma.sql`lake_pipeline_summary`} p
    WHERE p.month >= ${`${cohort.openedFrom}-01`}::date AND p.month <= ${`${cohort.openedTo}-01`}::date
      AND ${wholeTenant ? Prisma.sql`TRUE` : ownedBy(access.scope, Prisma.sql`p.owner_id`)}
      AND ${query.owner ? Prisma.sql`p.owner_id = ${query.owner}::uuid` : Prisma.sql`TRUE`}
      AND ${query.team ? Prisma.sql`p.team_id = ${query.team}::uuid` : Prisma.sql`TRUE`}
    GROUP BY 1, 2`;
  const sequences = await stageSequences(tx, [...new Set(rows.map((row) => row.stage))]);
  return rows.map((row) => ({ ...row, sequence: sequences.get(row.stage) ?? null }));
}
