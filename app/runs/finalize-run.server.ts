import { raiseAlert } from "~/alerts/alerts.server";
import { recordAudit } from "~/audit.server";
import { db } from "~/db.server";
import { requestRunPush } from "~/odoo/lead-push.server";
import { distributionCheck } from "~/scoring/distribution";
import { pickQaSample } from "~/scoring/qa-sample";
import { rebuildAfterRun } from "~/shortlist/shortlist-build.server";
import { isoDay } from "~/utils/date-format";
import { emitPlatformEvent } from "~/webhooks/platform-events.server";
import { computeRunMetrics, CRAWL_ERROR_ALERT_RATE, degradedReasons, type CompanyOutcome, type RunMetrics } from "./metrics";
import { logStep } from "./run-log.server";

/** Statuses a finalizer may close; `finalizing` is what an older finalizer left behind when it died midway. */
const FINALIZABLE = ["queued", "running", "finalizing"];

/**
 * Closes a run once every company settled: the run's metrics, the
 * distribution and crawl-error checks (alerts), the QA sample of ten High
 * entries, the degraded flag with its reasons (and its alert), and — in `after_run` mode —
 * the Odoo push. One transaction holding the run row: a worker that dies
 * midway leaves the run as it was, for its retried job or the watchdog to
 * finalize again; a second finalizer waits and then finds the run closed.
 */
export async function finalizeRun(tenantId: string, runId: string): Promise<RunMetrics | null> {
  const metrics = await closeRun(tenantId, runId);
  // After the commit: a consumer that reads the run back finds it closed.
  if (metrics) await emitPlatformEvent(tenantId, "run.finished", `run.finished:${runId}`, { run_id: runId, companies: metrics.companies });
  return metrics;
}

async function closeRun(tenantId: string, runId: string): Promise<RunMetrics | null> {
  return db.$withTenant(
    tenantId,
    async (tx) => {
      // NO KEY UPDATE: rows referencing the run (alerts, event logs) may still be written meanwhile.
      const [locked] = await tx.$queryRaw<Array<{ status: string }>>`SELECT status FROM runs WHERE id = ${runId}::uuid FOR NO KEY UPDATE`;
      if (!locked || !FINALIZABLE.includes(locked.status)) return null;

      const run = await tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: runId } } });
      const companies = await tx.$queryRaw<CompanyOutcome[]>`
        SELECT rc.uen, rc.status,
               (f.domain IS NOT NULL) AS domain,
               (f.about_text IS NOT NULL AND f.about_text <> '') AS about,
               f.crawl_status AS "crawlStatus", COALESCE(f.tavily_used, false) AS "tavilyUsed", f.contacts_status AS "contactsStatus",
               (SELECT count(*)::int FROM lead_emails e WHERE e.uen = rc.uen AND e.verification_status IN ('verified', 'unknown', 'catch_all')) AS "usableEmails",
               (SELECT count(*)::int FROM lead_contacts c WHERE c.uen = rc.uen) AS contacts,
               s.bucket, s.rationale_source AS "rationaleSource",
               (rc.stage = 'filtered') AS "filteredOut"
        FROM run_companies rc
        LEFT JOIN lead_features f ON f.uen = rc.uen
        LEFT JOIN lead_scores s ON s.uen = rc.uen AND s.run_id = rc.run_id
        WHERE rc.run_id = ${runId}::uuid`;
      const vendors = await tx.runVendorUsage.findMany({
        where: { runId },
        select: { vendor: true, calls: true, units: true, costUsd: true, errors: true, cacheHits: true },
        orderBy: { vendor: "asc" },
      });
      const latency = await tx.$queryRaw<Array<{ stage: string; p50: number; p95: number; count: number }>>`
        SELECT stage,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms)::float8 AS p50,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)::float8 AS p95,
               count(*)::int AS count
        FROM run_event_logs WHERE run_id = ${runId}::uuid AND duration_ms IS NOT NULL AND uen IS NOT NULL
        GROUP BY stage ORDER BY stage`;

      const metrics = computeRunMetrics({
        companies,
        candidatesTotal: run.candidatesTotal,
        vendors,
        latency: latency.map((l) => ({ ...l, p50: Math.round(l.p50), p95: Math.round(l.p95) })),
      });
      const reasons = degradedReasons(metrics, run.degradedReasons);
      const distribution = distributionCheck(metrics.score_distribution);
      if (!distribution.ok) {
        await raiseAlert(tx, {
          runId,
          kind: "score_distribution",
          severity: "warning",
          message: `${distribution.offending} holds ${Math.round(distribution.shares[distribution.offending!] * 100)} % of the shortlist (over 70 %): check the score thresholds.`,
          details: { shares: distribution.shares },
        });
      }
      if (metrics.crawl_success_rate < 1 - CRAWL_ERROR_ALERT_RATE && metrics.companies >= 10) {
        await raiseAlert(tx, {
          runId,
          kind: "crawl_error_rate",
          severity: "warning",
          message: `Only ${Math.round(metrics.crawl_success_rate * 100)} % of the websites could be crawled.`,
        });
      }
      // A run that went on without a vendor or lost companies is the run failure an operator hears of.
      if (reasons.length > 0) {
        await raiseAlert(tx, {
          runId,
          kind: "run_degraded",
          severity: "warning",
          message: `The run finished degraded: ${reasons.join("; ")}.`,
          details: { reasons },
        });
      }
      const high = companies.filter((c) => c.bucket === "High").map((c) => c.uen);
      const qaSample = pickQaSample(high, runId, 10);

      await tx.run.update({
        where: { tenantId_id: { tenantId, id: runId } },
        data: {
          status: "succeeded",
          finishedAt: new Date(),
          metrics: metrics as object,
          degraded: reasons.length > 0,
          degradedReasons: reasons,
          qaSample: qaSample as object,
        },
      });
      // The run's scores (or a re-enrich's on top of its day's) make a shortlist: ranked once, here.
      await rebuildAfterRun(tx, { id: runId, kind: run.kind, runDate: isoDay(run.runDate) });
      await logStep(tx, {
        runId,
        stage: "run",
        event: "finished",
        status: "ok",
        args: { companies: metrics.companies, distribution: metrics.score_distribution, degraded: reasons.length > 0 },
      });
      // after_run: the push is queued with the run's close; on_approval: it waits for an operator.
      if (metrics.companies > 0) await requestRunPush(tenantId, runId, { tx });
      await recordAudit(tenantId, null, "run.finished", runId, { degraded: reasons, companies: metrics.companies }, tx);
      return metrics;
    },
    { timeout: 60_000 },
  );
}
