import { db } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { log } from "~/logger.server";
import { enrichCompany } from "./enrich-company.server";
import { loadRunContext } from "./run-context.server";
import { logStep } from "./run-log.server";
import { scoreCompanies } from "./score-stage.server";
import { runJobPriority, type RunJobStage } from "./start-run.server";
import { BATCH, verifyPendingEmails } from "./verify-emails.server";

/**
 * The jobs that move a run's companies along. Each company row is claimed
 * before work (so a repeated job does nothing twice), and the run is
 * finalized by whichever job settles its last company.
 */

/**
 * ZeroBounce allows 5 batch calls a minute, so verification waits for full
 * batches: it runs when 200 addresses are pending, when no company of the run
 * is still being enriched, or when the oldest pending address has waited long
 * enough — and otherwise looks again shortly.
 */
const VERIFY_RECHECK_MS = 2000;
const VERIFY_MAX_WAIT_MS = 45_000;

/**
 * A company is claimed with a lease: the job and its worker (graphile-worker's
 * locked_by). A `running` company is taken over only by a retry of the same
 * job in the same worker, or once the lease holder's process stopped beating
 * (its heartbeat row is gone) — never by a second job while the first still
 * works, so a company's vendor calls happen once per run.
 */
export async function runEnrichCompanyJob(input: {
  tenantId: string;
  runId: string;
  uen: string;
  attempt: number;
  maxAttempts: number;
  jobId: string;
  workerId: string | null;
}) {
  const { tenantId, runId, uen, jobId, workerId } = input;
  const claimed = await db.$withTenant(
    tenantId,
    (tx) => tx.$executeRaw`
      UPDATE run_companies rc
      SET status = 'running', attempts = rc.attempts + 1, started_at = now(), updated_at = now(), lease_job_id = ${jobId}, lease_worker = ${workerId}
      WHERE rc.run_id = ${runId}::uuid AND rc.uen = ${uen}
        AND (rc.status = 'pending' OR (rc.status = 'running' AND (
          (rc.lease_job_id = ${jobId} AND rc.lease_worker IS NOT DISTINCT FROM ${workerId})
          OR rc.lease_worker IS NULL
          OR NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE rc.lease_worker = ANY (h.graphile_worker_ids)))))`,
  );
  if (claimed === 0) return;

  let pendingEmails: number;
  try {
    ({ pendingEmails } = await enrichCompany(tenantId, runId, uen));
  } catch (error) {
    if (input.attempt < input.maxAttempts) {
      // The retry may come from another worker: give the lease up.
      await db
        .$withTenant(tenantId, (tx) => tx.runCompany.updateMany({ where: { runId, uen, leaseJobId: jobId }, data: { leaseWorker: null } }))
        .catch(() => {});
      throw error;
    }
    // Out of retries: record it and let the run finish without this company.
    log().error({ err: error, runId, uen }, "company failed on its last attempt");
    await db.$withTenant(tenantId, async (tx) => {
      await tx.runCompany.updateMany({
        where: { runId, uen },
        data: { status: "failed", error: (error as Error).message.slice(0, 500), finishedAt: new Date(), updatedAt: new Date() },
      });
      await logStep(tx, { runId, uen, stage: "company", event: "failed", status: "error", message: (error as Error).message });
    });
    await settle(tenantId, runId, 1);
    return;
  }

  if (pendingEmails > 0) {
    await db.$withTenant(tenantId, (tx) =>
      tx.runCompany.updateMany({ where: { runId, uen }, data: { status: "awaiting_verification", stage: "verify", updatedAt: new Date() } }),
    );
    await scheduleVerification(tenantId, runId, VERIFY_RECHECK_MS);
    return;
  }
  const scored = await scoreCompanies(tenantId, runId, [uen]);
  await settle(tenantId, runId, scored);
}

async function scheduleVerification(tenantId: string, runId: string, delayMs: number) {
  await enqueue(
    "verify_run_emails",
    { tenantId, runId },
    {
      jobKey: `run:${runId}:verify`,
      jobKeyMode: "preserve_run_at",
      runAt: new Date(Date.now() + delayMs),
      queueName: `run:${runId}:verify`,
      priority: await priorityOf(tenantId, runId, "verify"),
    },
  );
}

async function priorityOf(tenantId: string, runId: string, stage: RunJobStage) {
  return runJobPriority((await loadRunContext(tenantId, runId)).kind, stage);
}

export async function runVerifyEmailsJob(tenantId: string, runId: string) {
  const [state] = await db.$withTenant(
    tenantId,
    (tx) =>
      tx.$queryRaw<Array<{ pending: number; enriching: number; oldest_ms: number | null }>>`
      SELECT
        (SELECT count(*)::int FROM lead_emails e JOIN run_companies rc ON rc.uen = e.uen AND rc.run_id = ${runId}::uuid
           WHERE rc.status = 'awaiting_verification' AND e.verification_status = 'pending') AS pending,
        (SELECT count(*)::int FROM run_companies WHERE run_id = ${runId}::uuid AND status IN ('pending', 'running')) AS enriching,
        (SELECT (extract(epoch FROM now() - min(rc.updated_at)) * 1000)::int FROM run_companies rc
           WHERE rc.run_id = ${runId}::uuid AND rc.status = 'awaiting_verification'
             AND EXISTS (SELECT 1 FROM lead_emails e WHERE e.uen = rc.uen AND e.verification_status = 'pending')) AS oldest_ms`,
  );
  const full = (state?.pending ?? 0) >= BATCH;
  const lastOnes = (state?.enriching ?? 0) === 0;
  const waitedEnough = (state?.oldest_ms ?? 0) >= VERIFY_MAX_WAIT_MS;
  if (!full && !lastOnes && !waitedEnough) {
    await scheduleVerification(tenantId, runId, VERIFY_RECHECK_MS);
    return;
  }
  const ready = await verifyPendingEmails(tenantId, runId, { fullBatchesOnly: !lastOnes && !waitedEnough });
  // Scoring writes a rationale (an LLM call each): in parallel jobs, not one after another here.
  for (const uen of ready) {
    await enqueue(
      "score_company",
      { tenantId, runId, uen },
      { jobKey: `run:${runId}:${uen}:score`, jobKeyMode: "dedupe", priority: await priorityOf(tenantId, runId, "score") },
    );
  }
}

export async function runScoreCompanyJob(tenantId: string, runId: string, uen: string) {
  const scored = await scoreCompanies(tenantId, runId, [uen]);
  await settle(tenantId, runId, scored);
}

/**
 * Counts settled companies; the job that settles the last one queues the
 * finalizer. The run row is locked first, so concurrent jobs count one after
 * another, each seeing the others' committed companies.
 */
export async function settle(tenantId: string, runId: string, count: number) {
  if (count === 0) return;
  const [row] = await db.$withTenant(tenantId, async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM runs WHERE id = ${runId}::uuid FOR UPDATE`;
    return tx.$queryRaw<Array<{ settled_count: number; target_count: number }>>`
      UPDATE runs SET settled_count = (
        SELECT count(*)::int FROM run_companies WHERE run_id = ${runId}::uuid AND status IN ('done', 'failed'))
      WHERE id = ${runId}::uuid RETURNING settled_count, target_count`;
  });
  if (row && row.settled_count >= row.target_count) {
    await enqueue(
      "finalize_run",
      { tenantId, runId },
      { jobKey: `run:${runId}:finalize`, jobKeyMode: "dedupe", priority: await priorityOf(tenantId, runId, "finalize") },
    );
  }
}
