import { type BadgeTone } from "~/components/ui/badge";
import { withSearchParams } from "~/utils/search-params";
import { type Freshness } from "./freshness";
import { type LakeSource } from "./pipeline";

/** The Data page's words and links, browser-safe. */

export const SOURCE_LABEL: Record<LakeSource, string> = { odoo: "Odoo", m365: "Microsoft 365" };

/** A source's connection badge: connected green, broken red, not set up grey. */
export function connectionTone(status: string): BadgeTone {
  return status === "connected" ? "green" : status === "error" ? "red" : "gray";
}

/** How long ago, coarsely: "just now", "25 min", "3 h", "2 days". */
export function formatAge(minutes: number): string {
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** A source's freshness in a sentence, naming the SLA it broke when stale. */
export function freshnessNote(source: { freshness: Freshness; ageMinutes: number | null; freshnessSlaMinutes: number }): string {
  if (source.freshness === "never" || source.ageMinutes === null) return "No successful sync yet";
  const age = formatAge(source.ageMinutes);
  return source.freshness === "stale"
    ? `Stale: last synced ${age}, beyond its ${formatAge(source.freshnessSlaMinutes).replace(" ago", "")} target`
    : `Synced ${age}`;
}

export type RunCounts = { fetched: number; rawInserted: number; inserted: number; updated: number; deleted: number; unchanged: number; rejected: number };

/** A run's counts as one line, leaving out the zeros after `fetched`: "120 fetched · 4 new · 2 updated · 1 rejected". */
export function runCountsLine(run: RunCounts): string {
  const parts: Array<[number, string]> = [
    [run.inserted, "new"],
    [run.updated, "updated"],
    [run.deleted, "deleted"],
    [run.unchanged, "unchanged"],
    [run.rejected, "rejected"],
    [run.rawInserted, "raw versions"],
  ];
  return [`${run.fetched.toLocaleString("en-SG")} fetched`, ...parts.filter(([n]) => n > 0).map(([n, word]) => `${n.toLocaleString("en-SG")} ${word}`)].join(
    " · ",
  );
}

/** The page's own address with some query parameters changed; null removes one. */
export function dataHref(search: string, changes: Record<string, string | null>): string {
  return `/app/data${withSearchParams(search, changes)}`;
}
