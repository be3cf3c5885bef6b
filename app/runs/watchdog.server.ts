import { platformDb } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { log } from "~/logger.server";
import { runJobPriority } from "./start-run.server";

/**
 * The safety net under the run's own bookkeeping: a run whose companies have
 * all settled but which was never finalized gets its finalizer, and
 * companies that have made no progress for a while get their job again (jobs
 * claim their rows, so a duplicate does nothing). Cross-tenant, like every
 * scheduler.
 */
const STALLED_MS = 10 * 60 * 1000;

export async function watchRuns(now = new Date()): Promise<{ finalized: number; resumed: number }> {
  const runs = await platformDb.$queryRaw<Array<{ tenant_id: string; id: string; kind: string; target_count: number; settled: number }>>`
    SELECT r.tenant_id, r.id, r.kind, r.target_count,
           (SELECT count(*)::int FROM run_companies rc WHERE rc.run_id = r.id AND rc.status IN ('done', 'failed')) AS settled
    FROM runs r WHERE r.status = 'running' AND r.started_at < ${new Date(now.getTime() - 2 * 60_000)}`;
  let finalized = 0;
  let resumed = 0;
  for (const run of runs) {
    if (run.settled >= run.target_count) {
      await enqueue("finalize_run", { tenantId: run.tenant_id, runId: run.id }, { jobKey: `run:${run.id}:finalize`, jobKeyMode: "dedupe", priority: runJobPriority(run.kind, "finalize") });
      finalized++;
      continue;
    }
    const stalled = await platformDb.runCompany.findMany({
      where: { runId: run.id, status: { in: ["pending", "running", "awaiting_verification"] }, updatedAt: { lt: new Date(now.getTime() - STALLED_MS) } },
      select: { uen: true, status: true },
    });
    for (const company of stalled) {
      if (company.status === "awaiting_verification") {
        await enqueue("verify_run_emails", { tenantId: run.tenant_id, runId: run.id }, { jobKey: `run:${run.id}:verify`, jobKeyMode: "preserve_run_at", queueName: `run:${run.id}:verify`, priority: runJobPriority(run.kind, "verify") });
      } else {
        await enqueue("enrich_company", { tenantId: run.tenant_id, runId: run.id, uen: company.uen }, { jobKey: `run:${run.id}:${company.uen}`, jobKeyMode: "dedupe", priority: runJobPriority(run.kind) });
      }
      resumed++;
    }
  }
  if (finalized || resumed) log().warn({ finalized, resumed }, "run watchdog picked up stalled runs");
  return { finalized, resumed };
}
