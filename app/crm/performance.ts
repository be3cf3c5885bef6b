import { closedFigures, type ClosedFigures } from "~/lake/kpi-figures";
import { shiftDays } from "~/lake/overview-periods";
import { weekOf } from "./activities";

/**
 * The Performance page's shaping, browser-safe: how a period's days group
 * into buckets, the KPI figures of summed facts, stage conversion from where
 * deals stand now, and the links to the deals behind a figure.
 */

export type BucketSize = "day" | "week" | "month";

/** Days for up to a month, Singapore weeks (from Monday) for up to half a year, months beyond. */
export function bucketSize(from: string, to: string): BucketSize {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  return days <= 31 ? "day" : days <= 182 ? "week" : "month";
}

/** The first day of the bucket a Singapore calendar day belongs to. */
export function bucketOf(day: string, size: BucketSize): string {
  if (size === "week") return weekOf(day);
  if (size === "month") return `${day.slice(0, 7)}-01`;
  return day;
}

/** KPI facts of a day, a bucket, a team or a rep, summed as the serving zone stores them. */
export type KpiFacts = { won: number; lost: number; wonValue: number; cycleDaysTotal: number; activitiesDone: number };

export type KpiFigures = ClosedFigures & { activitiesDone: number };

export function kpiFigures(facts: KpiFacts): KpiFigures {
  return {
    ...closedFigures({ won: facts.won, lost: facts.lost, won_value: facts.wonValue, cycle_days: facts.cycleDaysTotal }),
    activitiesDone: facts.activitiesDone,
  };
}

const NO_FACTS: KpiFacts = { won: 0, lost: 0, wonValue: 0, cycleDaysTotal: 0, activitiesDone: 0 };

export function addFacts(a: KpiFacts, b: KpiFacts): KpiFacts {
  return {
    won: a.won + b.won,
    lost: a.lost + b.lost,
    wonValue: a.wonValue + b.wonValue,
    cycleDaysTotal: a.cycleDaysTotal + b.cycleDaysTotal,
    activitiesDone: a.activitiesDone + b.activitiesDone,
  };
}

export type KpiBucket = KpiFigures & { bucket: string; from: string; to: string };

/** Daily facts (every day of the period, in order) summed into buckets; a bucket's `from`/`to` are clipped to the period. */
export function bucketKpiDays(days: ReadonlyArray<KpiFacts & { day: string }>, size: BucketSize): KpiBucket[] {
  const buckets = new Map<string, { facts: KpiFacts; from: string; to: string }>();
  for (const day of days) {
    const key = bucketOf(day.day, size);
    const bucket = buckets.get(key) ?? { facts: NO_FACTS, from: day.day, to: day.day };
    buckets.set(key, { facts: addFacts(bucket.facts, day), from: bucket.from, to: day.day });
  }
  return [...buckets].map(([bucket, { facts, from, to }]) => ({ bucket, from, to, ...kpiFigures(facts) }));
}

export function sumFacts(rows: readonly KpiFacts[]): KpiFacts {
  return rows.reduce(addFacts, NO_FACTS);
}

/** A team's or a rep's line: its figures, and its done activities per rep who did any (null when none did). */
export type PerformanceLine = KpiFigures & { reps: number; activitiesPerRep: number | null };

export function performanceLine(facts: KpiFacts, activeReps: number): PerformanceLine {
  return { ...kpiFigures(facts), reps: activeReps, activitiesPerRep: activeReps ? facts.activitiesDone / activeReps : null };
}

/** A period's facts of one rep in one team (a rep who moved team has a row for each). */
export type RepTeamFacts = KpiFacts & { ownerId: string | null; teamId: string | null };

/** A team's or a rep's facts over the period, with how many reps did any activity (for a rep: 0 or 1). */
export type FactsLine = KpiFacts & { id: string | null; reps: number };

/** The period's facts per team and per rep, added up from the (rep, team) rows. */
export function teamAndRepFacts(rows: readonly RepTeamFacts[]): { teams: FactsLine[]; reps: FactsLine[] } {
  const teams = new Map<string | null, { facts: KpiFacts; active: Set<string | null> }>();
  const reps = new Map<string | null, KpiFacts>();
  for (const row of rows) {
    const team = teams.get(row.teamId) ?? { facts: NO_FACTS, active: new Set<string | null>() };
    if (row.activitiesDone > 0) team.active.add(row.ownerId);
    teams.set(row.teamId, { facts: addFacts(team.facts, row), active: team.active });
    reps.set(row.ownerId, addFacts(reps.get(row.ownerId) ?? NO_FACTS, row));
  }
  return {
    teams: [...teams].map(([id, { facts, active }]) => ({ id, ...facts, reps: active.size })),
    reps: [...reps].map(([id, facts]) => ({ id, ...facts, reps: facts.activitiesDone > 0 ? 1 : 0 })),
  };
}

/** Deals of the cohort by where they stand now: stage name, its sequence in Odoo's pipeline, outcome. */
export type StageGroup = { stage: string; sequence: number | null; outcome: "open" | "won" | "lost"; count: number };
export type StageConversion = { stage: string; reached: number; wentOn: number; rate: number | null };

/**
 * Share of deals that reached each stage and went on past it. Without a
 * stage history, a deal is taken to have passed through the stages before
 * the one it stands in now (in Odoo's sequence; unsequenced stages first): an open or
 * lost deal reached its stage and went on from the earlier ones, a won deal
 * went on from every stage. A stage holding only won deals (Odoo's Won
 * stage) is the end, not a step, so it has no row.
 */
export function stageConversion(groups: readonly StageGroup[]): StageConversion[] {
  const order = new Map<string, number>();
  for (const g of groups) order.set(g.stage, Math.min(order.get(g.stage) ?? Infinity, g.sequence ?? -Infinity));
  const steps = [...order.keys()]
    .filter((stage) => groups.some((g) => g.stage === stage && g.outcome !== "won" && g.count > 0))
    .sort((a, b) => order.get(a)! - order.get(b)! || a.localeCompare(b));
  const won = groups.filter((g) => g.outcome === "won").reduce((sum, g) => sum + g.count, 0);
  const at = (i: number) => groups.filter((g) => g.outcome !== "won" && g.stage === steps[i]).reduce((sum, g) => sum + g.count, 0);
  const standing = steps.map((_, i) => at(i));
  return steps.map((stage, i) => {
    const beyond = standing.slice(i + 1).reduce((sum, n) => sum + n, 0) + won;
    const reached = standing[i]! + beyond;
    return { stage, reached, wentOn: beyond, rate: reached ? beyond / reached : null };
  });
}

/** The Singapore months (YYYY-MM) a period spans: the cohort of deals the stage conversion follows. */
export function cohortMonths(from: string, to: string): { openedFrom: string; openedTo: string } {
  return { openedFrom: from.slice(0, 7), openedTo: to.slice(0, 7) };
}

/** The default period: the last 90 Singapore days, today included. */
export function defaultPeriod(today: string): { from: string; to: string } {
  return { from: shiftDays(today, -89), to: today };
}

/** The opportunities list behind a figure, with the contract's query parameters. */
export function dealsHref(params: {
  outcome?: "open" | "won" | "lost";
  stage?: string;
  team?: string;
  owner?: string;
  opened_from?: string;
  opened_to?: string;
}): string {
  const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const query = search.toString();
  return query ? `/app/opportunities?${query}` : "/app/opportunities";
}
