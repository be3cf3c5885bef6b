import { platformDb } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { log } from "~/logger.server";
import { resumeGivenUpPushes } from "~/odoo/lead-push.server";
import { runJobPriority } from "./start-run.server";

/**
 * The safety net under the run's own bookkeeping: a run whose companies have
 * all settled but which was never finalized gets its finalizer, and
 * companies that have made no progress for a while get their job again (jobs
 * claim their rows, so a duplicate does nothing). A run whose start job died
 * before it recorded its targets gets its start job again, not an empty
 * finalize. An Odoo push that gave up during a long outage is queued again.
 * Paused workspaces are left alone: their jobs wait under their own
 * keys until the workspace resumes. Cross-tenant, like every scheduler.
 */
const STALLED_MS = 10 * 60 * 1000;

export async function watchRuns(now = new Date()): Promise<{ finalized: number; resumed: number; pushes: number }> {
  // `finalizing`: left by a finalizer of older code that died between its two transactions.
  const runs = await platformDb.$queryRaw<Array<{ tenant_id: string; id: string; kind: string; target_count: number; settled: number; targeted: boolean }>>`
    SELECT r.tenant_id, r.id, r.kind, r.target_count,
           (SELECT count(*)::int FROM run_companies rc WHERE rc.run_id = r.id AND rc.status IN ('done', 'failed')) AS settled,
           EXISTS (SELECT 1 FROM run_event_logs l WHERE l.tenant_id = r.tenant_id AND l.run_id = r.id AND l.stage = 'run' AND l.event = 'targets') AS targeted
    FROM runs r JOIN tenants t ON t.id = r.tenant_id
    WHERE r.status IN ('running', 'finalizing') AND r.started_at < ${new Date(now.getTime() - 2 * 60_000)} AND t.status NOT IN ('paused', 'decommissioned')`;
  let finalized = 0;
  let resumed = 0;
  for (const run of runs) {
    if (!run.targeted) {
      await enqueue(
        "start_run",
        { tenantId: run.tenant_id, runId: run.id },
        { jobKey: `run:${run.id}:start`, jobKeyMode: "dedupe", priority: runJobPriority(run.kind) },
      );
      resumed++;
      continue;
    }
    if (run.settled >= run.target_count) {
      await enqueue(
        "finalize_run",
        { tenantId: run.tenant_id, runId: run.id },
        { jobKey: `run:${run.id}:finalize`, jobKeyMode: "dedupe", priority: runJobPriority(run.kind, "finalize") },
      );
      finalized++;
      continue;
    }
    const stalled = await platformDb.runCompany.findMany({
      where: { runId: run.id, status: { in: ["pending", "running", "awaiting_verification"] }, updatedAt: { lt: new Date(now.getTime() - STALLED_MS) } },
      select: { uen: true, status: true },
    });
    for (const company of stalled) {
      if (company.status === "awaiting_verification") {
        await enqueue(
          "verify_run_emails",
          { tenantId: run.tenant_id, runId: run.id },
          { jobKey: `run:${run.id}:verify`, jobKeyMode: "preserve_run_at", queueName: `run:${run.id}:verify`, priority: runJobPriority(run.kind, "verify") },
        );
      } else {
        await enqueue(
          "enrich_company",
          { tenantId: run.tenant_id, runId: run.id, uen: company.uen },
          { jobKey: `run:${run.id}:${company.uen}`, jobKeyMode: "dedupe", priority: runJobPriority(run.kind) },
        );
      }
      resumed++;
    }
  }
  const pushes = await resumeGivenUpPushes(now);
  if (finalized || resumed || pushes) log().warn({ finalized, resumed, pushes }, "run watchdog picked up stalled runs");
  return { finalized, resumed, pushes };
}
