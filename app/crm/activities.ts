import { shiftDays } from "~/lake/overview-periods";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * The Activities page's words and shaping, browser-safe: which weeks the
 * volume chart covers (Singapore weeks, Monday to Sunday), the rep × week
 * grid it draws, and the query string its links and export carry.
 */

/** How many weeks the volume per rep covers, the current one included. */
export const VOLUME_WEEKS = 12;

/** The Monday (YYYY-MM-DD) of the Singapore week a calendar day belongs to. */
export function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return shiftDays(day, -((weekday + 6) % 7));
}

/** The Mondays of the last `count` Singapore weeks at `now`, oldest first; the last is the current week. */
export function recentWeeks(now: Date, count = VOLUME_WEEKS): string[] {
  const current = weekOf(singaporeDate(now));
  return Array.from({ length: count }, (_, i) => shiftDays(current, -7 * (count - 1 - i)));
}

export type WeeklyCount = { ownerId: string | null; ownerName: string | null; week: string; done: number };
export type RepWeeks = { ownerId: string | null; ownerName: string | null; weeks: number[]; total: number };
export type VolumeGrid = { weeks: string[]; reps: RepWeeks[]; totals: number[] };

/** Done activities per rep per week as a grid over `weeks` (weeks without any are zeros), busiest rep first. */
export function volumeGrid(counts: readonly WeeklyCount[], weeks: readonly string[]): VolumeGrid {
  const column = new Map(weeks.map((week, i) => [week, i]));
  const reps = new Map<string, RepWeeks>();
  for (const count of counts) {
    const i = column.get(count.week);
    if (i === undefined) continue;
    const key = count.ownerId ?? "";
    const rep = reps.get(key) ?? { ownerId: count.ownerId, ownerName: count.ownerName, weeks: weeks.map(() => 0), total: 0 };
    rep.weeks[i]! += count.done;
    rep.total += count.done;
    reps.set(key, rep);
  }
  const rows = [...reps.values()].sort((a, b) => b.total - a.total || (a.ownerName ?? "").localeCompare(b.ownerName ?? ""));
  return { weeks: [...weeks], reps: rows, totals: weeks.map((_, i) => rows.reduce((sum, rep) => sum + rep.weeks[i]!, 0)) };
}

/** The Activities page's filters; each is also a query parameter of the page, its API and its CSV export. */
export type ActivityFilters = { view: "done" | "planned" | "overdue"; type?: string; owner?: string; team?: string };

/** The filters as a query string (without "?"), the default view left out; `cursor` for a next page. */
export function activityQuery(filters: ActivityFilters, cursor?: string | null): string {
  const params = new URLSearchParams();
  if (filters.view !== "done") params.set("view", filters.view);
  if (filters.type) params.set("type", filters.type);
  if (filters.owner) params.set("owner", filters.owner);
  if (filters.team) params.set("team", filters.team);
  if (cursor) params.set("cursor", cursor);
  return params.toString();
}

/** Where an activity came from, in the words of the people who made it. */
export function activitySourceLabel(source: string | null): string {
  if (source === "odoo") return "Odoo activity";
  if (source === "m365") return "Outlook event";
  return "Unknown source";
}

/** The page of what an activity is about: a deal's own page, an account or contact in the Data browser. */
export function aboutHref(about: { kind: string; id: string }): string | null {
  if (about.kind === "opportunity") return `/app/opportunities/${about.id}`;
  if (about.kind === "account") return `/app/data/accounts/${about.id}`;
  if (about.kind === "contact") return `/app/data/contacts/${about.id}`;
  return null;
}
