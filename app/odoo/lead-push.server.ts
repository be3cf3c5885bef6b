import { z } from "zod";
import { recordAudit, type Actor } from "~/audit.server";
import { db, platformDb, type TenantTx } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { enqueue } from "~/jobs/enqueue.server";
import { runPushPayloadSchema } from "~/jobs/payloads";
import { log } from "~/logger.server";
import { OdooAccessDenied, OdooServerError, OdooTransportError, type OdooSession } from "./client.server";
import { type DesiredCompany } from "./desired-partners.server";
import { planPartnerUpsert, type PartnerPlan } from "./partner-plan.server";
import { applyPartnerPlan, fetchExistingPartners, type UpsertCounts } from "./partner-upsert.server";
import { OdooPushFailedError, RunNotFoundError } from "./push-errors.server";
import { describeOdooFailure, notePushOutage, recordPushEnd, recordPushEvents } from "./push-events.server";
import { withPushLock } from "./push-lock.server";
import { pushModeOf, type PushMode } from "./push-mode.server";
import { batchSizeOf, isPushApproved, preparePush, PUSH_APPROVED_ACTION, type RunPushOptions } from "./push-preparation.server";
import { openPushSession, type MeteredOdooClient } from "./push-session.server";
import { type PushSet } from "./push-set.server";

/**
 * Pushes a run's leads into the tenant's Odoo as res.partner companies and
 * contacts (no campaign actions), per the tenant's push mode:
 * - `after_run`: the pipeline calls `requestRunPush` when a run finalizes,
 *   which queues `push_run_to_odoo` (job key `odoo-push:<runId>`);
 * - `on_approval`: nothing is written until an operator approves the run
 *   (`approveRunPush`, audited); `planRunPush` is the dry-run they review.
 *
 * What is pushed (`buildPushSet`, `emailVerdict`):
 * - companies of the run scored in `buckets` (default High and Medium: Low
 *   leads are not worth a salesperson's time and would bury the good ones in
 *   the CRM; pass all three to push everything);
 * - suppressed UENs and domains are left out entirely; a contact whose
 *   address is suppressed is left out too (the person asked not to be
 *   contacted, so they do not belong in a sales CRM);
 * - an email is pushed when ZeroBounce said `verified`, or said `unknown`
 *   (its API failed or the server would not say) for a business address on the
 *   company's own domain. Nothing else is pushed: not `pending`, `catch_all`,
 *   `invalid` or `do_not_mail`, and never a free-mail address of unknown
 *   status. A contact without a pushable email is still pushed with its
 *   LinkedIn URL as its key.
 *
 * Crash safety: Odoo is the source of truth for what exists. Every batch
 * looks its partners up by `ref` = UEN (archived ones included) and contacts
 * by email/LinkedIn under their company before creating anything, so running
 * a push again after a crash at any point creates nothing twice. A call whose
 * answer was lost re-plans its batch from Odoo rather than repeating a create.
 * `odoo_partner_links` is bookkeeping written after a batch lands: the pushed
 * hash lets the next run skip companies whose data did not change.
 */

export function runPushJobKey(runId: string): string {
  return `odoo-push:${runId}`;
}

/** One push per tenant at a time; the advisory lock guards callers outside the queue. */
function pushJobOptions(tenantId: string, runId: string) {
  return { jobKey: runPushJobKey(runId), queueName: `odoo-push:${tenantId}` };
}

/** How long after its run a push that gave up is still tried again. */
const PUSH_RESUME_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * An Odoo outage longer than the push job's attempts (about half an hour)
 * must not lose the run's leads: a push whose last word is `failed` and whose
 * job has given up is queued again (the job key resets its attempts), for a
 * week after the run. Its approval, if the tenant needs one, is on record, so
 * the job needs no `approvedBy`. Cross-tenant, for the run watchdog.
 */
export async function resumeGivenUpPushes(now = new Date()): Promise<number> {
  const given = await platformDb.$queryRaw<Array<{ tenant_id: string; id: string }>>`
    SELECT r.tenant_id, r.id
    FROM runs r JOIN tenants t ON t.id = r.tenant_id
    WHERE r.status = 'succeeded' AND r.finished_at > ${new Date(now.getTime() - PUSH_RESUME_WINDOW_MS)}
      AND t.status NOT IN ('paused', 'decommissioning', 'decommissioned')
      AND (SELECT l.event FROM run_event_logs l
           WHERE l.tenant_id = r.tenant_id AND l.run_id = r.id AND l.stage = 'odoo_push'
           ORDER BY l.id DESC LIMIT 1) = 'failed'
      AND NOT EXISTS (SELECT 1 FROM graphile_worker._private_jobs j
                      WHERE j.key = 'odoo-push:' || r.id::text AND (j.attempts < j.max_attempts OR j.locked_at IS NOT NULL))`;
  for (const run of given) {
    await enqueue("push_run_to_odoo", { tenantId: run.tenant_id, runId: run.id }, pushJobOptions(run.tenant_id, run.id));
  }
  return given.length;
}

export type RunPushPlan = {
  runId: string;
  mode: PushMode;
  /** on_approval: whether an operator already approved this run's push. */
  approved: boolean;
  companies: PartnerPlan["companies"] & {
    /** Sent before with exactly this data: not looked at again (see `recheck`). */
    skipped: Array<{ uen: string; partnerId: number }>;
  };
  contacts: PartnerPlan["contacts"];
  excluded: PushSet["excluded"];
  droppedContacts: PushSet["droppedContacts"];
  withheldEmails: PushSet["withheldEmails"];
  warnings: string[];
};

/** What a push would create and change in the tenant's Odoo, field by field; reads only. */
export async function planRunPush(tenantId: string, runId: string, options: RunPushOptions = {}): Promise<RunPushPlan> {
  const prepared = await preparePush(tenantId, runId, options);
  const batchSize = batchSizeOf(options);
  const companyId = prepared.connection.companyId ?? undefined;
  const sharedDatabase = prepared.connection.mode === "company_per_tenant";
  const plan: RunPushPlan = {
    runId,
    mode: prepared.mode,
    approved: prepared.approved,
    companies: { create: [], update: [], unchanged: [], skipped: prepared.skipped },
    contacts: { create: [], update: [], unchanged: [] },
    excluded: prepared.set.excluded,
    droppedContacts: prepared.set.droppedContacts,
    withheldEmails: prepared.set.withheldEmails,
    warnings: [],
  };
  if (prepared.pending.length === 0) return plan;
  const { session } = await openPushSession(prepared.connection);
  for (const batch of chunks(prepared.pending, batchSize)) {
    const existing = await fetchExistingPartners(session, batch, { companyId, sharedDatabase, batchSize });
    const part = planPartnerUpsert(existing, batch, { companyId, sharedDatabase });
    for (const kind of ["create", "update", "unchanged"] as const) {
      (plan.companies[kind] as unknown[]).push(...part.companies[kind]);
      (plan.contacts[kind] as unknown[]).push(...part.contacts[kind]);
    }
    plan.warnings.push(...part.warnings);
  }
  return plan;
}

export type RunPushResult = {
  runId: string;
  status: "applied" | "partial" | "awaiting_approval";
  companies: UpsertCounts & { skipped: number; failed: number };
  contacts: UpsertCounts;
  excluded: number;
  batches: number;
  calls: number;
  errors: number;
  durationMs: number;
};

/**
 * Applies a run's push in batches and records links, events and usage. Safe
 * to call again at any time: it converges on the same partners. Throws
 * OdooPushFailedError when Odoo stays unreachable (rerun it later).
 */
export async function applyRunPush(tenantId: string, runId: string, actor?: Actor, options: RunPushOptions = {}): Promise<RunPushResult> {
  const started = Date.now();
  const batchSize = batchSizeOf(options);
  const maxBatchAttempts = z
    .number()
    .int()
    .min(1)
    .max(10)
    .parse(options.maxBatchAttempts ?? 3);
  return withPushLock(tenantId, async () => {
    const prepared = await preparePush(tenantId, runId, options);
    const result: RunPushResult = {
      runId,
      status: "applied",
      companies: { created: 0, updated: 0, unchanged: 0, skipped: prepared.skipped.length, failed: 0 },
      contacts: { created: 0, updated: 0, unchanged: 0 },
      excluded: prepared.set.excluded.length,
      batches: 0,
      calls: 0,
      errors: 0,
      durationMs: 0,
    };
    if (prepared.mode === "on_approval" && !prepared.approved) {
      await recordPushEvents(tenantId, runId, [{ event: "awaiting_approval", status: "info", args: { companies: prepared.set.companies.length } }]);
      return { ...result, status: "awaiting_approval", durationMs: Date.now() - started };
    }
    const companyId = prepared.connection.companyId ?? undefined;
    const sharedDatabase = prepared.connection.mode === "company_per_tenant";
    await recordPushEvents(tenantId, runId, [
      {
        event: "started",
        status: "info",
        args: {
          mode: prepared.mode,
          by: actor ? "operator" : "pipeline",
          buckets: prepared.set.buckets,
          companies: prepared.set.companies.length,
          pending: prepared.pending.length,
          skipped: prepared.skipped.length,
          excluded: countBy(prepared.set.excluded, (e) => e.reason),
          dropped_contacts: countBy(prepared.set.droppedContacts, (c) => c.reason),
          withheld_emails: prepared.set.withheldEmails,
          batch_size: batchSize,
        },
      },
    ]);

    let client: MeteredOdooClient | undefined;
    try {
      if (prepared.pending.length > 0) {
        const opened = await openPushSession(prepared.connection);
        client = opened.client;
        for (const [index, batch] of chunks(prepared.pending, batchSize).entries()) {
          const batchStarted = Date.now();
          result.batches++;
          const applied = await applyBatch(opened.session, batch, { companyId, sharedDatabase, batchSize, maxBatchAttempts }, (attempt, error) =>
            recordPushEvents(tenantId, runId, [
              { event: "batch_retried", status: "error", args: { batch: index, attempt, companies: batch.length }, message: describeOdooFailure(error) },
            ]),
          );
          if (!applied.ok) {
            result.companies.failed += batch.length;
            await recordPushEvents(tenantId, runId, [
              {
                event: "batch_failed",
                status: "error",
                durationMs: Date.now() - batchStarted,
                args: { batch: index, companies: batch.length },
                message: describeOdooFailure(applied.error),
              },
            ]);
            continue;
          }
          const outcome = applied.outcome;
          for (const kind of ["created", "updated", "unchanged"] as const) {
            result.companies[kind] += outcome.companies[kind];
            result.contacts[kind] += outcome.contacts[kind];
          }
          await db.$withTenant(tenantId, async (tx) => {
            for (const company of batch) {
              const partnerId = outcome.companyIds[company.uen];
              if (partnerId === undefined) continue;
              const data = {
                partnerId,
                contactIds: (outcome.contactIds[company.uen] ?? {}) as Prisma.InputJsonValue,
                pushedHash: prepared.hashes.get(company.uen) ?? null,
                runId,
                pushedAt: new Date(),
              };
              await tx.odooPartnerLink.upsert({
                where: { tenantId_uen: { tenantId, uen: company.uen } },
                create: { tenantId, uen: company.uen, ...data },
                update: data,
              });
            }
            await recordPushEvents(
              tenantId,
              runId,
              [
                {
                  event: "batch_applied",
                  status: "ok",
                  durationMs: Date.now() - batchStarted,
                  args: { batch: index, companies: outcome.companies, contacts: outcome.contacts, warnings: outcome.plan.warnings.length },
                },
              ],
              tx,
            );
          });
        }
      }
      if (result.companies.failed > 0) result.status = "partial";
      result.durationMs = Date.now() - started;
      await recordPushEnd(tenantId, runId, client, result.status === "applied" ? "ok" : "error", {
        event: "finished",
        durationMs: result.durationMs,
        args: { status: result.status, companies: result.companies, contacts: result.contacts, batches: result.batches },
      });
      result.calls = client?.calls ?? 0;
      result.errors = client?.errors ?? 0;
      await notePushOutage(tenantId, runId, { pushedAt: new Date() });
      log().info({ odoo: { runId, status: result.status, companies: result.companies, contacts: result.contacts } }, "odoo push finished");
      return result;
    } catch (error) {
      await recordPushEnd(tenantId, runId, client, "error", {
        event: "failed",
        durationMs: Date.now() - started,
        args: { companies: result.companies, contacts: result.contacts, batches: result.batches },
        message: describeOdooFailure(error),
      });
      if (error instanceof OdooTransportError || error instanceof OdooAccessDenied) {
        await notePushOutage(tenantId, runId, { waiting: describeOdooFailure(error) });
        throw new OdooPushFailedError(`Odoo push of run ${runId} stopped: ${describeOdooFailure(error)}`, { cause: error });
      }
      throw error;
    }
  });
}

type BatchOutcome = Awaited<ReturnType<typeof applyPartnerPlan>>;

/**
 * Plans a batch from Odoo's current state and applies it. When an answer is
 * lost the write may or may not have happened, so the batch is planned again
 * from Odoo (which then shows what landed) instead of repeating the call.
 * Odoo refusing the data (UserError, ValidationError) fails only this batch.
 */
async function applyBatch(
  session: OdooSession,
  batch: DesiredCompany[],
  options: { companyId: number | undefined; sharedDatabase: boolean; batchSize: number; maxBatchAttempts: number },
  onRetry: (attempt: number, error: unknown) => Promise<void>,
): Promise<{ ok: true; outcome: BatchOutcome } | { ok: false; error: unknown }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const scope = { companyId: options.companyId, sharedDatabase: options.sharedDatabase };
      const existing = await fetchExistingPartners(session, batch, { ...scope, batchSize: options.batchSize });
      const plan = planPartnerUpsert(existing, batch, scope);
      return { ok: true, outcome: await applyPartnerPlan(session, plan, { batchSize: options.batchSize }) };
    } catch (error) {
      if (error instanceof OdooTransportError && attempt < options.maxBatchAttempts) {
        await onRetry(attempt, error);
        continue;
      }
      if (error instanceof OdooServerError && !(error instanceof OdooAccessDenied)) return { ok: false, error };
      throw error;
    }
  }
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Records the operator's approval (once per run, audited) and applies the push. */
export async function approveRunPush(tenantId: string, runId: string, actor: Actor, options: RunPushOptions = {}): Promise<RunPushResult> {
  await db.$withTenant(
    tenantId,
    async (tx) => {
      const run = await tx.run.findUnique({ where: { tenantId_id: { tenantId, id: runId } }, select: { status: true } });
      if (!run) throw new RunNotFoundError(`Run ${runId} does not exist in this workspace`);
      if (await isPushApproved(tx, runId)) return;
      await recordAudit(tenantId, actor, PUSH_APPROVED_ACTION, runId, {}, tx);
      await recordPushEvents(tenantId, runId, [{ event: "approved", status: "info" }], tx);
    },
    { actor },
  );
  return applyRunPush(tenantId, runId, actor, options);
}

/**
 * For the pipeline when a run finalizes (pass its transaction to queue the
 * push atomically with the run's final state), and for an approval made
 * asynchronously. after_run tenants (or an approval) get a push job; others
 * wait for an operator.
 */
export async function requestRunPush(
  tenantId: string,
  runId: string,
  options: { tx?: TenantTx; approvedBy?: Actor } = {},
): Promise<"queued" | "awaiting_approval"> {
  const payload = runPushPayloadSchema.parse({
    tenantId,
    runId,
    ...(options.approvedBy ? { approvedBy: { sub: options.approvedBy.sub, email: options.approvedBy.email ?? null } } : {}),
  });
  const run = async (tx: TenantTx) => {
    if (!payload.approvedBy && (await pushModeOf(tenantId, tx)) === "on_approval") {
      await recordPushEvents(tenantId, runId, [{ event: "awaiting_approval", status: "info" }], tx);
      return "awaiting_approval" as const;
    }
    await enqueue("push_run_to_odoo", payload, { ...pushJobOptions(tenantId, runId), tx });
    return "queued" as const;
  };
  return options.tx ? run(options.tx) : db.$withTenant(tenantId, run);
}
