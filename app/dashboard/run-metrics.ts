import { z } from "zod";
import { formatShortDay } from "~/utils/date-format";

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

/** Chart labels: the run's date, with a counter when a day had more than one run. */
export function trendLabels(runDates: string[]): string[] {
  const seen = new Map<string, number>();
  return runDates.map((d) => {
    const n = (seen.get(d) ?? 0) + 1;
    seen.set(d, n);
    const label = formatShortDay(d);
    return n > 1 ? `${label} (${n})` : label;
  });
}
