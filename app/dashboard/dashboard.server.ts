import { recordAudit, type Actor } from "~/audit.server";
import { db } from "~/db.server";
import { DEFAULT_DAILY_TOKEN_BUDGET } from "~/settings/settings-forms";
import { isoDay } from "~/utils/date-format";
import { singaporeDate } from "~/utils/singapore-time";
import { readRunMetrics, shortlistSize, trendLabels, type ScoreDistribution } from "./run-metrics";
import { RUN_SUMMARY_SELECT, runSummaryOf, type RunSummary } from "./runs.server";

/**
 * What the workspace dashboard shows: the latest full run, the trend over the
 * last finished runs, today's vendor usage and token spend against the
 * budget, and the open alerts. One tenant transaction, so RLS scopes it all.
 */
export const TREND_RUNS = 14;
const ACTIVE = ["queued", "running", "finalizing"];

export type TrendPoint = { runId: string; label: string; runDate: string; shortlist: number | null; emailRate: number | null; high: number | null };

export type VendorToday = { vendor: string; calls: number; units: number; costUsd: number; errors: number };

export type DashboardAlert = { id: string; kind: string; severity: string; message: string; runId: string | null; createdAt: Date };

export type DashboardSummary = {
  latest: (RunSummary & { degradedReasons: string[]; shortlist: number | null; emailRate: number | null }) | null;
  activeRunId: string | null;
  /** The score distribution of the latest finished run (and which run it is). */
  distribution: { runId: string; runDate: string; buckets: ScoreDistribution } | null;
  trend: TrendPoint[];
  today: string;
  vendorsToday: VendorToday[];
  tokens: { used: number; budget: number; calls: number };
  alerts: DashboardAlert[];
};

export async function dashboardSummary(tenantId: string, now = new Date()): Promise<DashboardSummary> {
  const today = singaporeDate(now);
  return db.$withTenant(tenantId, async (tx) => {
    const runSelect = { ...RUN_SUMMARY_SELECT, degradedReasons: true } as const;
    const latest = await tx.run.findFirst({ where: { kind: { not: "re_enrich" } }, orderBy: { createdAt: "desc" }, select: runSelect });
    const active = await tx.run.findFirst({
      where: { kind: { not: "re_enrich" }, status: { in: ACTIVE } },
      orderBy: { createdAt: "desc" },
      select: { id: true },
    });
    const finished = await tx.run.findMany({
      where: { kind: { not: "re_enrich" }, status: "succeeded" },
      orderBy: { createdAt: "desc" },
      take: TREND_RUNS,
      select: { id: true, runDate: true, metrics: true },
    });
    const vendors = await tx.$queryRaw<VendorToday[]>`
      SELECT v.vendor, sum(v.calls)::int AS calls, sum(v.units)::float8 AS units, sum(v.cost_usd)::float8 AS "costUsd", sum(v.errors)::int AS errors
      FROM run_vendor_usage v JOIN runs r ON r.id = v.run_id AND r.tenant_id = v.tenant_id
      WHERE r.run_date = ${today}::date
      GROUP BY v.vendor ORDER BY v.vendor`;
    const tokens = await tx.tokenUsage.findUnique({ where: { tenantId_day: { tenantId, day: new Date(`${today}T00:00:00Z`) } } });
    const settings = await tx.tenantSettings.findUnique({ where: { tenantId }, select: { dailyTokenBudget: true } });
    const alerts = await tx.alert.findMany({
      where: { resolvedAt: null },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: { id: true, kind: true, severity: true, message: true, runId: true, createdAt: true },
    });

    const chronological = [...finished].reverse();
    const labels = trendLabels(chronological.map((r) => isoDay(r.runDate)));
    const trend = chronological.map((r, i) => {
      const m = readRunMetrics(r.metrics);
      return {
        runId: r.id,
        label: labels[i]!,
        runDate: isoDay(r.runDate),
        shortlist: shortlistSize(m),
        emailRate: m.email_rate ?? null,
        high: m.score_distribution?.High ?? null,
      };
    });
    const lastFinished = finished[0];
    const lastDistribution = lastFinished ? readRunMetrics(lastFinished.metrics).score_distribution : undefined;
    const latestMetrics = latest ? readRunMetrics(latest.metrics) : null;

    return {
      latest: latest
        ? {
            ...runSummaryOf(latest),
            degradedReasons: latest.degradedReasons,
            shortlist: latestMetrics ? shortlistSize(latestMetrics) : null,
            emailRate: latestMetrics?.email_rate ?? null,
          }
        : null,
      activeRunId: active?.id ?? null,
      distribution: lastFinished && lastDistribution ? { runId: lastFinished.id, runDate: isoDay(lastFinished.runDate), buckets: lastDistribution } : null,
      trend,
      today,
      vendorsToday: vendors,
      tokens: {
        used: (tokens?.promptTokens ?? 0) + (tokens?.completionTokens ?? 0),
        calls: tokens?.calls ?? 0,
        budget: settings?.dailyTokenBudget ?? DEFAULT_DAILY_TOKEN_BUDGET,
      },
      alerts,
    };
  });
}

/** Marks one open alert resolved (audited); false when there is no such open alert. */
export async function resolveAlert(tenantId: string, actor: Actor, alertId: string): Promise<boolean> {
  return db.$withTenant(
    tenantId,
    async (tx) => {
      const resolved = await tx.$queryRaw<Array<{ kind: string }>>`
        UPDATE alerts SET resolved_at = now() WHERE id = ${alertId}::uuid AND resolved_at IS NULL RETURNING kind`;
      if (!resolved[0]) return false;
      await recordAudit(tenantId, actor, "alert.resolved", `alert:${alertId}`, { kind: resolved[0].kind }, tx);
      return true;
    },
    { actor },
  );
}
