import { db } from "~/db.server";
import { enqueue, enqueueAll } from "~/jobs/enqueue.server";
import { log } from "~/logger.server";
import { enrichCompany } from "./enrich-company.server";
import { loadRunContext } from "./run-context.server";
import { logStep } from "./run-log.server";
import { scoreCompanies } from "./score-stage.server";
import { runJobPriority, type RunJobStage } from "./start-run.server";
import { BATCH, PASS_ADDRESSES, VERIFYING_COMPANY, verifyPendingEmails } from "./verify-emails.server";

/**
 * The jobs that move a run's companies along. Each company row is claimed
 * before work (so a repeated job does nothing twice), and the run is
 * finalized by whichever job settles its last company.
 */

/**
 * ZeroBounce allows 5 batch calls per rolling minute (a breach blocks the key
 * for 10 minutes), so the run spends them at that pace: a call goes out when
 * 200 addresses are pending, when no company of the run is still being
 * enriched, or when the run's last call is a fifth of the window old — with
 * everything then pending, in as few calls as 200 a call allows. Waiting
 * longer would not save a call for later (the window has room for one every
 * 12.4 s) but keeps verified companies from being scored. In between, the job
 * looks again shortly.
 *
 * Except in a run whose work ahead needs more than a window of calls: once
 * the window is full, each call waits a minute for the one five before it,
 * so a part-filled call there moves the run's last call 12.4 s later (a
 * 5,000-company run made 31 calls for 28 calls' worth of addresses). There
 * only whole batches go, unless an address has waited a minute.
 */
const VERIFY_RECHECK_MS = 2000;
export const VERIFY_CALL_SPACING_MS = 12_500;
export const VERIFY_MAX_HOLD_MS = 60_000;

export type VerificationState = {
  /** Distinct addresses pending, and how long the oldest has waited. */
  pending: number;
  oldestWaitMs: number;
  /** The run's companies still being enriched, and those past it (verified, scored, failed or waiting). */
  enriching: number;
  enriched: number;
  /** Addresses the run has sent to ZeroBounce so far. */
  sent: number;
  sinceLastCallMs: number | null;
};

/** How many pending addresses the run's verification job may send now (before the window's room); 0: not yet. */
export function addressesDue(state: VerificationState): number {
  const { pending, enriching } = state;
  if (pending === 0 || enriching === 0) return pending;
  // The companies still enriching, at the addresses per company the run has queued so far.
  const ahead = pending + (enriching * (state.sent + pending)) / Math.max(1, state.enriched);
  if (ahead > BATCH * VERIFY_CALLS_PER_WINDOW && state.oldestWaitMs < VERIFY_MAX_HOLD_MS) return Math.floor(pending / BATCH) * BATCH;
  const spaced = state.sinceLastCallMs === null || state.sinceLastCallMs >= VERIFY_CALL_SPACING_MS;
  return pending >= BATCH || spaced ? pending : 0;
}

/** ZeroBounce's window as its client keeps it: five batch calls in 62 s. */
const VERIFY_WINDOW_MS = 62_000;
const VERIFY_CALLS_PER_WINDOW = 5;
/**
 * A pass takes the calls that leave the window within this long: they wait in
 * the client for their slots and each goes as its slot opens. A pass ends
 * only once its calls' verdicts are written, which a busy database takes
 * seconds over, and its reads take a second or more: passes started as each
 * call left had sent a window's calls 1–7 s late, and each window starts from
 * the one before it.
 */
const VERIFY_PASS_LEAD_MS = 10_000;

/**
 * How many calls the run's window has room for now, from the ages of the
 * run's last calls, and otherwise how soon it has room again. A pass sends no
 * more calls than that: a call beyond waits in the client for the window,
 * with the addresses that were pending when the pass began, while the ones
 * queued during that wait (at the end of a run, most of its companies) wait
 * for a later call and the window after it.
 */
export function verificationRoom(lastCallAgesMs: readonly number[]): { calls: number; inMs: number } {
  const leavesAt = VERIFY_WINDOW_MS - VERIFY_PASS_LEAD_MS;
  const inWindow = lastCallAgesMs.filter((age) => age < leavesAt);
  const calls = Math.max(0, VERIFY_CALLS_PER_WINDOW - inWindow.length);
  return { calls, inMs: calls > 0 ? 0 : leavesAt - Math.max(...inWindow) };
}

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
  const claimed = await db.$tenantWrite(
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
    ({ pendingEmails } = await enrichCompany(tenantId, runId, uen, () => scheduleVerification(tenantId, runId, VERIFY_RECHECK_MS)));
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
    await db.$tenantWrite(tenantId, (tx) =>
      tx.runCompany.updateMany({ where: { runId, uen }, data: { status: "awaiting_verification", stage: "verify", updatedAt: new Date() } }),
    );
    await scheduleVerification(tenantId, runId, VERIFY_RECHECK_MS);
    return;
  }
  const scored = await scoreCompanies(tenantId, runId, [uen]);
  await settle(tenantId, runId, scored);
}

export async function scheduleVerification(tenantId: string, runId: string, delayMs: number) {
  await enqueue(
    "verify_run_emails",
    { tenantId, runId },
    {
      jobKey: `run:${runId}:verify`,
      jobKeyMode: "preserve_run_at",
      runAt: new Date(Date.now() + delayMs),
      queueName: `run:${runId}:verify`,
      priority: await priorityOf(tenantId, runId, "verify"),
      // Every company with addresses to verify asks for this one job: while it waits, asking is a read.
      unlessWaiting: true,
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
      tx.$queryRaw<Array<VerificationState & { lastCallAgesMs: number[] }>>`
      WITH waiting AS (
        SELECT e.email, rc.updated_at FROM lead_emails e JOIN run_companies rc ON rc.uen = e.uen AND rc.run_id = ${runId}::uuid
        WHERE ${VERIFYING_COMPANY} AND e.verification_status = 'pending'),
      companies AS (
        SELECT count(*) FILTER (WHERE status IN ('pending', 'running'))::int AS enriching,
               count(*) FILTER (WHERE status NOT IN ('pending', 'running'))::int AS enriched
        FROM run_companies WHERE run_id = ${runId}::uuid)
      SELECT
        -- Addresses, not companies' rows: companies sharing a website wait on one address, verified once.
        (SELECT count(DISTINCT email)::int FROM waiting) AS pending,
        (SELECT coalesce(extract(epoch FROM now() - min(updated_at)) * 1000, 0)::int FROM waiting) AS "oldestWaitMs",
        companies.enriching, companies.enriched,
        coalesce((SELECT units FROM run_vendor_usage WHERE run_id = ${runId}::uuid AND vendor = 'zerobounce'), 0)::int AS sent,
        (SELECT (extract(epoch FROM now() - l.created_at) * 1000)::int FROM run_event_logs l
           WHERE l.run_id = ${runId}::uuid AND l.stage = 'verify' AND l.event = 'batch' ORDER BY l.id DESC LIMIT 1) AS "sinceLastCallMs",
        -- When each of the last calls went out: its event is written once its answer is in.
        ARRAY(SELECT (extract(epoch FROM now() - l.created_at) * 1000)::int + coalesce(l.duration_ms, 0) FROM run_event_logs l
           WHERE l.run_id = ${runId}::uuid AND l.stage = 'verify' AND l.event = 'batch' ORDER BY l.id DESC LIMIT ${VERIFY_CALLS_PER_WINDOW}) AS "lastCallAgesMs"
      FROM companies`,
  );
  const pending = state?.pending ?? 0;
  const due = state ? addressesDue(state) : 0;
  if (pending > 0 && due === 0) {
    await scheduleVerification(tenantId, runId, VERIFY_RECHECK_MS);
    return;
  }
  // The addresses are picked when the window has room for their calls, not before.
  const room = verificationRoom(state?.lastCallAgesMs ?? []);
  if (pending > 0 && room.calls === 0) {
    await scheduleVerification(tenantId, runId, room.inMs);
    return;
  }
  const passAddresses = Math.min(PASS_ADDRESSES, room.calls * BATCH, due);
  const ready = await verifyPendingEmails(tenantId, runId, passAddresses);
  // Addresses arriving meanwhile queue a pass of their own; a backlog larger than this pass needs one here.
  if (pending > passAddresses) await scheduleVerification(tenantId, runId, VERIFY_RECHECK_MS);
  // Scoring writes a rationale (an LLM call each): in parallel jobs, not one after another here, added in one statement.
  await enqueueAll(
    "score_company",
    ready.map((uen) => ({ payload: { tenantId, runId, uen }, jobKey: `run:${runId}:${uen}:score` })),
    { jobKeyMode: "dedupe", priority: await priorityOf(tenantId, runId, "score") },
  );
}

export async function runScoreCompanyJob(tenantId: string, runId: string, uen: string) {
  const scored = await scoreCompanies(tenantId, runId, [uen]);
  await settle(tenantId, runId, scored);
}

/**
 * Counts settled companies; the job that settles the last one queues the
 * finalizer. `settle_run` locks the run row first, so concurrent jobs count
 * one after another, each seeing the others' committed companies, and it is
 * one statement the server commits, so the lock is never held across a round
 * trip to a busy worker. The lock is FOR NO KEY UPDATE: every step log, score
 * and usage row of the run checks its foreign key with FOR KEY SHARE on this
 * row, which FOR UPDATE would make wait for the settling job's commit.
 */
export async function settle(tenantId: string, runId: string, count: number) {
  if (count === 0) return;
  const [row] = await db.$tenantWrite(
    tenantId,
    (tx) => tx.$queryRaw<Array<{ settled_count: number; target_count: number }>>`SELECT settled_count, target_count FROM settle_run(${runId}::uuid)`,
  );
  if (row && row.settled_count >= row.target_count) {
    await enqueue(
      "finalize_run",
      { tenantId, runId },
      { jobKey: `run:${runId}:finalize`, jobKeyMode: "dedupe", priority: await priorityOf(tenantId, runId, "finalize") },
    );
  }
}
