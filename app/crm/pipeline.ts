import { z } from "zod";
import { isCalendarMonth } from "~/utils/calendar-day";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * The Pipeline page's words shared by its loader, its JSON API and the
 * browser: the filters, their defaults, how rows are shaped into a funnel
 * and groups, and the deal-list links behind every figure.
 */

/** The period the page opens on: the deals opened in the last 12 months, this month included. */
export const DEFAULT_PERIOD_MONTHS = 12;
/** The longest period one read may cover. */
export const MAX_PERIOD_MONTHS = 60;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
// Year 0000 passes the pattern but fails the query.
const month = z.string().regex(MONTH, { error: "a month as YYYY-MM", abort: true }).refine(isCalendarMonth, "a month from 0001-01 to 9999-12");

/** `YYYY-MM` shifted by whole months. */
export function shiftMonth(month: string, months: number): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 7);
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split("-").map(Number) as [number, number];
  const [ty, tm] = to.split("-").map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/** The query parameters the page, its API and its CSV export take; the same names as the deal list's. */
export const PipelineQuery = z
  .object({
    team: z.uuid().optional(),
    owner: z.uuid().optional(),
    tag: z.string().trim().min(1).max(100).optional(),
    opened_from: month.optional(),
    opened_to: month.optional(),
  })
  .strict()
  .refine((q) => !q.opened_from || !q.opened_to || q.opened_from <= q.opened_to, {
    message: "opened_from comes after opened_to",
    path: ["opened_from"],
  })
  .refine((q) => !q.opened_from || !q.opened_to || monthsBetween(q.opened_from, q.opened_to) <= MAX_PERIOD_MONTHS, {
    message: `a period spans at most ${MAX_PERIOD_MONTHS} months`,
    path: ["opened_to"],
  });

export type PipelineFilters = { team: string | null; owner: string | null; tag: string | null; openedFrom: string; openedTo: string };

/** The parsed query with the default period filled in around the Singapore month of `now`; an empty parameter counts as none. */
export function pipelineFilters(params: URLSearchParams, now: Date): { ok: true; filters: PipelineFilters } | { ok: false; error: z.ZodError } {
  const given: Record<string, string> = Object.fromEntries([...params].filter(([, value]) => value.trim() !== ""));
  const thisMonth = singaporeDate(now).slice(0, 7);
  given.opened_to ??= given.opened_from && given.opened_from > thisMonth ? given.opened_from : thisMonth;
  if (MONTH.test(given.opened_to)) given.opened_from ??= shiftMonth(given.opened_to, -(DEFAULT_PERIOD_MONTHS - 1));
  const parsed = PipelineQuery.safeParse(given);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const { team, owner, tag, opened_from: openedFrom, opened_to: openedTo } = parsed.data;
  return { ok: true, filters: { team: team ?? null, owner: owner ?? null, tag: tag ?? null, openedFrom: openedFrom!, openedTo: openedTo! } };
}

/** No filter, the last 12 months. */
export function defaultPipelineFilters(now: Date): PipelineFilters {
  const openedTo = singaporeDate(now).slice(0, 7);
  return { team: null, owner: null, tag: null, openedFrom: shiftMonth(openedTo, -(DEFAULT_PERIOD_MONTHS - 1)), openedTo };
}

/** The deal list's parameters (`/app/opportunities`, `/api/opportunities`, the CSV exports). */
export type DealListParams = {
  stage?: string;
  owner?: string | null;
  team?: string | null;
  tag?: string | null;
  outcome?: "open" | "won" | "lost";
  closing?: "this_month" | "overdue";
  opened_from?: string;
  opened_to?: string;
  sort?: string;
};

const PARAM_ORDER = ["stage", "outcome", "closing", "team", "owner", "tag", "opened_from", "opened_to", "sort"] as const;

/** `path?…` with the given parameters in a stable order, empty ones left out. */
export function hrefWith(path: string, params: DealListParams): string {
  const search = new URLSearchParams();
  for (const key of PARAM_ORDER) {
    const value = params[key];
    if (value) search.set(key, value);
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** The filters as deal-list parameters: what every figure on the page narrows further. */
export function filterParams(filters: PipelineFilters, period = true): DealListParams {
  return {
    team: filters.team,
    owner: filters.owner,
    tag: filters.tag,
    ...(period ? { opened_from: filters.openedFrom, opened_to: filters.openedTo } : {}),
  };
}

/** The deals behind a figure of the page. */
export function dealsHref(filters: PipelineFilters, narrower: DealListParams, period = true): string {
  return hrefWith("/app/opportunities", { ...filterParams(filters, period), ...narrower });
}

export type Outcome = "open" | "won" | "lost";

export type Figures = { count: number; value: number; weightedValue: number };
export type StageFigures = Figures & { stage: string; sequence: number | null };

/** One row of the grouped read: a stage's, a team's or an owner's figures, each outcome side by side. */
export type GroupedRow = {
  grouping: "stage" | "team" | "owner";
  stage: string | null;
  sequence: number | null;
  teamId: string | null;
  teamName: string | null;
  ownerId: string | null;
  ownerName: string | null;
} & Record<Outcome, Figures>;

/**
 * The open deals by stage, in the pipeline's order: by the stage's sequence,
 * stages without one (a lead not yet in a stage) first, ties by name.
 */
export function funnelStages(rows: readonly GroupedRow[]): StageFigures[] {
  return rows
    .filter((row) => row.grouping === "stage" && row.stage !== null && row.open.count > 0)
    .map((row) => ({ stage: row.stage!, sequence: row.sequence, ...row.open }))
    .sort((a, b) => (a.sequence ?? -Infinity) - (b.sequence ?? -Infinity) || a.stage.localeCompare(b.stage));
}

export type GroupFigures = { id: string | null; name: string | null; open: Figures; won: Figures; lost: Figures; winRate: number | null };

/**
 * A team's or an owner's figures, one entry per team (or owner) with its
 * open, won and lost deals side by side; the largest open pipeline first,
 * deals without a team (or owner) last.
 */
export function groupFigures(rows: readonly GroupedRow[], grouping: "team" | "owner"): GroupFigures[] {
  return rows
    .filter((row) => row.grouping === grouping)
    .map((row) => ({
      id: grouping === "team" ? row.teamId : row.ownerId,
      name: grouping === "team" ? row.teamName : row.ownerName,
      open: row.open,
      won: row.won,
      lost: row.lost,
      winRate: row.won.count + row.lost.count ? row.won.count / (row.won.count + row.lost.count) : null,
    }))
    .sort((a, b) => Number(a.id === null) - Number(b.id === null) || b.open.value - a.open.value || (a.name ?? "").localeCompare(b.name ?? ""));
}
