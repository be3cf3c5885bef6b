import { z } from "zod";

/**
 * Reading `runs.metrics` (written by app/runs/finalize-run as `RunMetrics`)
 * for the pages. The JSON is from an earlier version of the code or from a
 * run that has not finished, so every figure is optional and a malformed one
 * reads as missing instead of breaking the page. Browser-safe.
 */
const rate = z.number().min(0).max(1).catch(0);
const count = z.number().min(0).catch(0);

const vendorLine = z.object({
  vendor: z.string(),
  calls: count,
  units: count,
  costUsd: count,
  errors: count,
  cacheHits: count.optional(),
});

const stageLatency = z.object({ stage: z.string(), p50: count, p95: count, count: count });

const bucketCount = z.number().int().min(0);
const Distribution = z.object({ High: bucketCount, Medium: bucketCount, Low: bucketCount });

const RunMetricsJson = z.object({
  companies: count.optional(),
  failed: count.optional(),
  candidates_total: z.number().nullable().optional().catch(undefined),
  candidates_post_filter: count.optional(),
  domain_rate: rate.optional(),
  about_rate: rate.optional(),
  email_rate: rate.optional(),
  crawl_success_rate: rate.optional(),
  tavily_fallback_rate: rate.optional(),
  contacts_available_rate: rate.optional(),
  score_distribution: Distribution.optional().catch(undefined),
  max_bucket_share: rate.optional(),
  rationale_cache_hit_rate: rate.optional(),
  token_spend: count.optional(),
  vendor_cost_usd: count.optional(),
  vendor_error_rate: rate.optional(),
  vendors: z.array(vendorLine).optional().catch(undefined),
  latency_ms: z.array(stageLatency).optional().catch(undefined),
});

export type RunMetricsView = z.output<typeof RunMetricsJson>;
export type ScoreDistribution = z.output<typeof Distribution>;

export function readRunMetrics(json: unknown): RunMetricsView {
  const parsed = RunMetricsJson.safeParse(json ?? {});
  return parsed.success ? parsed.data : {};
}

/** How many companies the run scored (its shortlist), or null before scoring. */
export function shortlistSize(metrics: RunMetricsView): number | null {
  const d = metrics.score_distribution;
  if (d) return d.High + d.Medium + d.Low;
  return metrics.companies ?? null;
}

export const BUCKETS = ["High", "Medium", "Low"] as const;
export type Bucket = (typeof BUCKETS)[number];

const integer = new Intl.NumberFormat("en-SG", { maximumFractionDigits: 0 });
const usd = new Intl.NumberFormat("en-SG", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 4 });

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : integer.format(value);
}

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return "—";
  const pct = rate * 100;
  return `${pct >= 10 || pct === 0 ? Math.round(pct) : pct.toFixed(1)} %`;
}

export function formatUsd(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : usd.format(value);
}

/** "1 h 02 min", "3 min 05 s", "12 s"; "—" without both ends. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function durationBetween(start: string | Date | null | undefined, end: string | Date | null | undefined): number | null {
  if (!start || !end) return null;
  return new Date(end).getTime() - new Date(start).getTime();
}

const when = new Intl.DateTimeFormat("en-SG", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Singapore" });
const day = new Intl.DateTimeFormat("en-SG", { dateStyle: "medium", timeZone: "UTC" });

/** An instant on Singapore clocks, e.g. "22 Nov 2026, 2:05 am". */
export function formatWhen(instant: string | Date | null | undefined): string {
  return instant ? when.format(new Date(instant)) : "—";
}

/** A calendar date (YYYY-MM-DD, already a Singapore day), e.g. "22 Nov 2026". */
export function formatDay(isoDate: string): string {
  return day.format(new Date(`${isoDate}T00:00:00Z`));
}

const shortDate = new Intl.DateTimeFormat("en-SG", { day: "numeric", month: "short", timeZone: "UTC" });

/** Chart labels: the run's date, with a counter when a day had more than one run. */
export function trendLabels(runDates: string[]): string[] {
  const seen = new Map<string, number>();
  return runDates.map((d) => {
    const n = (seen.get(d) ?? 0) + 1;
    seen.set(d, n);
    const label = shortDate.format(new Date(`${d}T00:00:00Z`));
    return n > 1 ? `${label} (${n})` : label;
  });
}
