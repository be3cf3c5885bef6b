import { performance } from "node:perf_hooks";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker.server";
import { waitForWorkspace } from "~/tenants/workspace-ready.server";
import { progressBar } from "~/utils/progress-bar";
import { type RunMetrics } from "./metrics";
import { runProgress } from "./run-events.server";
import { isRunFinished } from "./run-vocabulary";
import { startRun } from "./start-run.server";

/**
 * The `npm run nightly` command's work: wait for the tenant's workspace, start
 * a run, drive it with an in-process worker, report progress, and return the
 * run's figures.
 */
export type NightlySummary = {
  run_id: string;
  tenant: string;
  status: string;
  companies: number;
  domain_rate: number;
  about_rate: number;
  email_rate: number;
  max_bucket_share: number;
  rationale_cache_hit_rate: number;
  score_distribution: RunMetrics["score_distribution"];
  degraded: boolean;
  degraded_reasons: string[];
  wall_s: number;
  metrics: RunMetrics | null;
};

export async function runNightlyCommand(input: {
  tenantSlug: string;
  limit?: number;
  includeCareers?: boolean;
  forceRecrawl?: boolean;
  repeat?: boolean;
  freshOnly?: boolean;
  concurrency: number;
  progress: (line: string) => void;
  timeoutMs?: number;
}): Promise<NightlySummary> {
  const worker = await startWorker({ concurrency: input.concurrency, pollInterval: 200, crontabFile: null });
  try {
    const tenant = await waitForWorkspace(input.tenantSlug, input.progress);
    const uens = input.repeat ? await previousRunCompanies(tenant.id) : undefined;
    const started = performance.now();
    const { runId } = await startRun(tenant.id, {
      kind: "manual",
      actor: null,
      options: {
        limit: input.limit,
        includeCareers: input.includeCareers,
        forceRecrawl: input.forceRecrawl,
        includeRecent: !input.freshOnly,
        ...(uens ? { uens } : {}),
      },
    });
    const deadline = Date.now() + (input.timeoutMs ?? 60 * 60 * 1000);
    for (;;) {
      const progress = await runProgress(tenant.id, runId);
      if (!progress) throw new Error(`run ${runId} disappeared`);
      const elapsed = (performance.now() - started) / 1000;
      const rate = progress.settled / Math.max(elapsed, 0.001);
      const eta = rate > 0 ? Math.round((progress.target - progress.settled) / rate) : null;
      input.progress(
        `${progressBar(progress.settled, progress.target)} ${progress.settled}/${progress.target} companies · ${progress.status}` +
          ` · ${rate.toFixed(1)}/s${eta !== null && progress.settled < progress.target ? ` · ETA ${eta}s` : ""}` +
          (Object.keys(progress.stages).length
            ? ` · ${Object.entries(progress.stages)
                .map(([s, n]) => `${s} ${n}`)
                .join(", ")}`
            : ""),
      );
      if (isRunFinished(progress.status)) break;
      if (Date.now() > deadline) throw new Error(`run ${runId} did not finish in time`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const run = await db.$withTenant(tenant.id, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: runId } } }));
    const metrics = run.metrics as unknown as RunMetrics;
    return {
      run_id: runId,
      tenant: input.tenantSlug,
      status: run.status,
      companies: metrics.companies ?? 0,
      domain_rate: metrics.domain_rate ?? 0,
      about_rate: metrics.about_rate ?? 0,
      email_rate: metrics.email_rate ?? 0,
      max_bucket_share: metrics.max_bucket_share ?? 0,
      rationale_cache_hit_rate: metrics.rationale_cache_hit_rate ?? 0,
      score_distribution: metrics.score_distribution,
      degraded: run.degraded,
      degraded_reasons: run.degradedReasons,
      wall_s: Math.round((performance.now() - started) / 100) / 10,
      metrics,
    };
  } finally {
    await worker.stop();
  }
}

async function previousRunCompanies(tenantId: string): Promise<string[] | undefined> {
  const last = await db.$withTenant(tenantId, (tx) =>
    tx.run.findFirst({ where: { kind: { not: "re_enrich" }, status: "succeeded" }, orderBy: { createdAt: "desc" }, select: { id: true } }),
  );
  if (!last) return undefined;
  const rows = await db.$withTenant(tenantId, (tx) => tx.runCompany.findMany({ where: { runId: last.id }, select: { uen: true } }));
  return rows.map((r) => r.uen);
}
