import { recordAudit, type Actor } from "~/audit.server";
import { assertWithinPlan, quotaStanding } from "~/billing/usage-counters.server";
import { db, type TenantTx } from "~/db.server";
import { env } from "~/env.server";
import { candidateTotal, refreshCandidates } from "~/icp/candidates.server";
import { enqueue, enqueueAll } from "~/jobs/enqueue.server";
import { log } from "~/logger.server";
import { singaporeDate } from "~/utils/singapore-time";
import { raiseRunAlert } from "./alerts.server";
import { RunOptionsSchema, loadRunContext, type RunOptions } from "./run-context.server";
import { logStep } from "./run-log.server";
import { VERIFICATION_API_ERROR } from "./verify-emails.server";

/**
 * Starting a run: a `runs` row (queued) and a start_run job. The job refreshes
 * the candidates, picks today's target set and fans out one enrich_company
 * job per company (job key run:<run>:<uen>), so a killed worker loses nothing
 * and repeats no company.
 */
export type RunKind = "nightly" | "manual" | "re_enrich";

/**
 * graphile-worker runs lower numbers first. A one-company re-enrich has
 * someone watching its progress: all its jobs go ahead of a nightly batch.
 * Within a run, later stages go ahead of earlier ones, so companies flow
 * through verification and scoring while the rest are still being enriched
 * (otherwise a thousand queued enrich jobs starve the one verification job).
 */
const STAGE_OFFSET = { enrich: 0, score: -1, verify: -2, finalize: -3 } as const;
export type RunJobStage = keyof typeof STAGE_OFFSET;

export function runJobPriority(kind: string, stage: RunJobStage = "enrich"): number {
  return (kind === "re_enrich" ? -10 : 0) + STAGE_OFFSET[stage];
}

/** Companies enriched within this many days are skipped unless a run asks to include them. */
export const RECENT_DAYS = 7;

export class RunAlreadyActiveError extends Error {
  constructor(readonly runId: string) {
    super("A run is already in progress for this workspace");
    this.name = "RunAlreadyActiveError";
  }
}

export async function startRun(
  tenantId: string,
  input: { kind: RunKind; actor: Actor | null; options?: RunOptions; runAt?: Date },
): Promise<{ runId: string }> {
  const options = RunOptionsSchema.parse(input.options ?? {});
  const run = await db
    .$withTenant(tenantId, async (tx) => {
      // One full run at a time per tenant; a one-company re-enrich may overlap.
      if (input.kind !== "re_enrich") {
        const active = await activeFullRun(tx);
        if (active) throw new RunAlreadyActiveError(active.id);
      }
      const runDate = new Date(`${singaporeDate(input.runAt ?? new Date())}T00:00:00Z`);
      const at = input.runAt ?? new Date();
      if (input.kind === "manual") await assertWithinPlan(tx, tenantId, "runsPerDay", 1, at);
      // A run needs at least one company of the month's enrichment left; launchRun caps it to what remains.
      await assertWithinPlan(tx, tenantId, "companiesPerMonth", 1, at);
      const icp = await tx.icpRule.findFirst({ orderBy: { version: "desc" }, select: { version: true } });
      const created = await tx.run.create({
        data: {
          tenantId,
          kind: input.kind,
          options: options as object,
          icpVersion: icp?.version ?? null,
          runDate,
          startedBySub: input.actor?.sub ?? null,
          startedByEmail: input.actor?.email ?? null,
        },
        select: { id: true },
      });
      await logStep(tx, { runId: created.id, stage: "run", event: "queued", status: "info", args: { kind: input.kind, ...options } });
      await enqueue(
        "start_run",
        { tenantId, runId: created.id },
        { jobKey: `run:${created.id}:start`, runAt: input.runAt, priority: runJobPriority(input.kind), tx },
      );
      return created;
    })
    .catch(async (error: unknown) => {
      // Two starts passed the check at once: the index runs_one_active_full_run let one of them in.
      if ((error as { code?: string }).code !== "P2002" || input.kind === "re_enrich") throw error;
      const active = await db.$withTenant(tenantId, activeFullRun);
      throw active ? new RunAlreadyActiveError(active.id) : error;
    });
  if (input.actor) await recordAudit(tenantId, input.actor, "run.started", run.id, { kind: input.kind, ...options });
  return { runId: run.id };
}

function activeFullRun(tx: TenantTx) {
  return tx.run.findFirst({ where: { kind: { not: "re_enrich" }, status: { in: ["queued", "running", "finalizing"] } }, select: { id: true } });
}

/**
 * How long picking and writing a run's targets may take. It is one job's
 * transaction, not a web request's: thousands of targets on a busy worker
 * outlast the 15 s a request gets (a 5,000-company run at load 21 expired and
 * never started).
 */
const TARGETS_TIMEOUT_MS = 120_000;

/** The start_run job: refresh candidates, choose targets, fan out. Safe to repeat. */
export async function launchRun(tenantId: string, runId: string): Promise<void> {
  const claimed = await db.$withTenant(tenantId, (tx) =>
    tx.run.updateMany({ where: { id: runId, status: "queued" }, data: { status: "running", startedAt: new Date() } }),
  );
  if (claimed.count === 0) {
    const { status, targeted } = await db.$withTenant(tenantId, async (tx) => ({
      status: (await tx.run.findUnique({ where: { tenantId_id: { tenantId, id: runId } }, select: { status: true } }))?.status,
      // Written in the transaction that records the targets, so it says whether they were.
      targeted: (await tx.runEventLog.count({ where: { runId, stage: "run", event: "targets" } })) > 0,
    }));
    if (status !== "running") return;
    // A repeat of this job after the fan-out: make sure every company has its job.
    if (targeted) return fanOut(tenantId, runId);
    // The previous attempt died after claiming the run and before recording its targets: pick them now.
  }
  const context = await loadRunContext(tenantId, runId);
  const reasons: string[] = [];
  let candidatesTotal: number | null = null;

  if (!context.options.uens?.length) {
    try {
      const refresh = await refreshCandidates(tenantId, { reason: context.kind, floor: env().ICP_CANDIDATE_FLOOR });
      candidatesTotal = refresh.candidateCount;
      if (refresh.status === "degraded") reasons.push(refresh.degradedReason ?? "candidate refresh degraded");
      await db.$withTenant(tenantId, (tx) =>
        logStep(tx, {
          runId,
          stage: "candidates",
          event: "refreshed",
          status: refresh.status === "ok" ? "ok" : "info",
          durationMs: refresh.durationMs,
          args: { candidates: refresh.candidateCount, matchedByRules: refresh.matchedByRules, degraded: refresh.degradedReason },
        }),
      );
    } catch (error) {
      log().error({ err: error, runId }, "candidate refresh failed; the run uses the previous candidate set");
      reasons.push("candidate refresh failed; previous candidates used");
      await raiseRunAlert(tenantId, runId, "candidate_refresh_failed", "critical", `Refreshing the candidates failed: ${(error as Error).message}`);
    }
  }

  const cap = context.options.limit ?? context.rules.dailyCap ?? 100;
  const targets = await db.$withTenant(
    tenantId,
    async (tx) => {
      let uens: string[];
      if (context.options.uens?.length) {
        uens = context.options.uens;
      } else {
        const recentCutoff = new Date(Date.now() - RECENT_DAYS * 24 * 60 * 60 * 1000);
        // Companies never enriched (or not lately) first; in UEN order so the choice is stable.
        // Addresses a failed verification call left unknown are retried by the next run, recent or not.
        const retries = await tx.$queryRaw<Array<{ uen: string }>>`
        SELECT DISTINCT e.uen FROM lead_emails e JOIN icp_candidate_companies c ON c.uen = e.uen
        WHERE e.verification_status = 'unknown' AND e.sub_status = ${VERIFICATION_API_ERROR}
        ORDER BY e.uen LIMIT ${cap}`;
        const rows = await tx.$queryRaw<Array<{ uen: string }>>`
        SELECT c.uen FROM icp_candidate_companies c
        LEFT JOIN lead_features f ON f.uen = c.uen
        WHERE (${context.options.includeRecent ?? false} OR f.enriched_at IS NULL OR f.enriched_at < ${recentCutoff})
        ORDER BY (f.enriched_at IS NOT NULL), c.matched_by = 'industry_fallback', c.uen
        LIMIT ${cap}`;
        uens = [...new Set([...retries, ...rows].map((r) => r.uen))].slice(0, cap);
        if (candidatesTotal === null) {
          candidatesTotal = await candidateTotal(tx);
        }
      }
      uens = uens.filter((uen) => !context.suppressedUens.has(uen));
      // The plan's companies per month: a run takes at most what is left of the month (the lock keeps an overlapping re-enrich from taking the same).
      const quota = await quotaStanding(tx, tenantId, "companiesPerMonth", new Date(`${context.runDate}T00:00:00+08:00`));
      if (quota.remaining !== null && uens.length > quota.remaining) {
        await logStep(tx, {
          runId,
          stage: "run",
          event: "quota_capped",
          status: "info",
          args: { picked: uens.length, targets: quota.remaining, limit: quota.limit, used: quota.used },
          message: `The ${quota.plan!.name} plan allows ${quota.limit} companies enriched per month (${quota.used} used this month): this run enriches ${quota.remaining} of the ${uens.length} companies it picked.`,
        });
        uens = uens.slice(0, quota.remaining);
      }
      await tx.runCompany.createMany({ data: uens.map((uen) => ({ tenantId, runId, uen })), skipDuplicates: true });
      await tx.run.update({
        where: { tenantId_id: { tenantId, id: runId } },
        data: {
          targetCount: uens.length,
          candidatesTotal,
          degraded: reasons.length > 0,
          degradedReasons: reasons,
        },
      });
      await logStep(tx, { runId, stage: "run", event: "targets", status: "ok", args: { targets: uens.length, cap, candidates: candidatesTotal } });
      return uens;
    },
    { timeout: TARGETS_TIMEOUT_MS },
  );

  if (targets.length === 0) {
    await enqueue("finalize_run", { tenantId, runId }, { jobKey: `run:${runId}:finalize`, priority: runJobPriority(context.kind, "finalize") });
    return;
  }
  await fanOut(tenantId, runId);
}

async function fanOut(tenantId: string, runId: string) {
  const { kind } = await loadRunContext(tenantId, runId);
  const pending = await db.$withTenant(tenantId, (tx) =>
    tx.runCompany.findMany({ where: { runId, status: { in: ["pending", "running"] } }, select: { uen: true } }),
  );
  await enqueueAll(
    "enrich_company",
    pending.map(({ uen }) => ({ payload: { tenantId, runId, uen }, jobKey: `run:${runId}:${uen}` })),
    { jobKeyMode: "dedupe", priority: runJobPriority(kind) },
  );
}
