import { raiseAlert } from "~/alerts/alerts.server";
import { recordAudit, type Actor } from "~/audit.server";
import { changeModules, moduleApplyPayload, recordBundle } from "~/catalog/module-apply.server";
import { db, platformDb } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { checkTestedTarget, previousImageOf, recordImage, rollBackImage, UpgradeRefused } from "~/infra/image-upgrade.server";
import { enqueue } from "~/jobs/enqueue.server";
import { log } from "~/logger.server";
import { OdooError } from "~/odoo/client.server";
import { runbookPath } from "~/support/runbooks";
import { emitPlatformEvent } from "~/webhooks/platform-events.server";
import { exportTenantData, graceEndsAt, purgeTenantRows, removeTenantOdoo, writeDeletionReceipt } from "./decommission.server";
import { type TenantStatus } from "./lifecycle";
import { BackupUnavailable, backupOdooDatabase, restoreOdooDatabase } from "./odoo-backups.server";
import { verifyOdooConnection } from "./odoo-credential.server";
import {
  type OperationLogLine,
  operationJobKey,
  type OperationStep,
  type OperationType,
  refusalReason,
  remainingSteps,
  type TriggerSource,
} from "./operations";
import { actionableMessage, runProvisioningPhase } from "./provisioning.server";

/**
 * Lifecycle operations of a tenant (platform client: operations are platform
 * data). Asking for one stores it queued and enqueues its job; the job runs
 * the remaining steps, recording each as done, so a retried job or a re-run
 * resumes at the step that failed. A failed step marks the operation failed
 * and the tenant `error`, with the step, its message and a runbook link.
 */

export type OperationRequest = { type: OperationType; source: TriggerSource; actor: Actor; payload?: Record<string, unknown> };

export type OperationRequestResult = { ok: true; operationId: string } | { ok: false; status: 404 | 409; reason: string };

export const operationSummary = {
  id: true,
  tenantId: true,
  type: true,
  status: true,
  triggerSource: true,
  actorEmail: true,
  failedStep: true,
  error: true,
  attempts: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  tenant: { select: { slug: true, name: true } },
} as const satisfies Prisma.TenantOperationSelect;

async function enqueueOperation(operationId: string, tenantId: string): Promise<void> {
  // One queue per tenant: its operations run one after another, never side by side.
  await enqueue("run_tenant_operation", { operationId }, { jobKey: operationJobKey(operationId), queueName: `tenant-operations:${tenantId}` });
}

export async function requestOperation(tenantId: string, request: OperationRequest): Promise<OperationRequestResult> {
  const tenant = await platformDb.tenant.findUnique({ where: { id: tenantId }, select: { status: true } });
  if (!tenant) return { ok: false, status: 404, reason: "No such tenant" };
  const refused = refusalReason(request.type, tenant.status);
  if (refused) return { ok: false, status: 409, reason: refused };
  let operationId: string;
  try {
    const created = await platformDb.tenantOperation.create({
      data: {
        tenantId,
        type: request.type,
        triggerSource: request.source,
        actorSub: request.actor.sub,
        actorEmail: request.actor.email ?? null,
        // The state to return to once a rebuild is over (a failed step in between leaves `error`).
        payload: { ...request.payload, statusBefore: tenant.status } as Prisma.InputJsonObject,
        logs: [logLine("info", null, `${request.type} requested from ${request.source} by ${request.actor.email ?? request.actor.sub}`)],
      },
      select: { id: true },
    });
    operationId = created.id;
  } catch (error) {
    if (isUniqueViolation(error))
      return { ok: false, status: 409, reason: "Another operation of this workspace is still queued or running; wait for it to finish." };
    throw error;
  }
  await enqueueOperation(operationId, tenantId);
  await recordAudit(tenantId, request.actor, "operation.requested", request.type, { operationId, source: request.source });
  return { ok: true, operationId };
}

/** Runs a failed operation again from the step that failed (the steps done before it are not repeated). */
export async function rerunOperation(operationId: string, actor: Actor, source: TriggerSource): Promise<OperationRequestResult> {
  const operation = await platformDb.tenantOperation.findUnique({ where: { id: operationId }, select: { tenantId: true, status: true, type: true } });
  if (!operation) return { ok: false, status: 404, reason: "No such operation" };
  if (operation.status !== "failed") return { ok: false, status: 409, reason: `Only a failed operation can be re-run; this one is ${operation.status}.` };
  try {
    const line = logLine("info", null, `re-run from ${source} by ${actor.email ?? actor.sub}`);
    const updated = await platformDb.$executeRaw`
      UPDATE tenant_operations SET status = 'queued', failed_step = NULL, error = NULL, finished_at = NULL,
        logs = logs || ${JSON.stringify([line])}::jsonb
      WHERE id = ${operationId}::uuid AND status = 'failed'`;
    if (updated === 0) return { ok: false, status: 409, reason: "The operation changed meanwhile; reload and try again." };
  } catch (error) {
    if (isUniqueViolation(error))
      return { ok: false, status: 409, reason: "Another operation of this workspace is still queued or running; wait for it to finish." };
    throw error;
  }
  await enqueueOperation(operationId, operation.tenantId);
  await recordAudit(operation.tenantId, actor, "operation.rerun", operation.type, { operationId, source });
  return { ok: true, operationId };
}

function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { code?: string; message?: string })?.code ?? "") + String((error as Error)?.message ?? "");
  return /P2002|23505|tenant_operations_one_active_key/.test(text);
}

function logLine(level: OperationLogLine["level"], step: string | null, message: string): OperationLogLine {
  return { at: new Date().toISOString(), level, step, message };
}

async function appendLog(operationId: string, line: OperationLogLine): Promise<void> {
  await platformDb.$executeRaw`UPDATE tenant_operations SET logs = logs || ${JSON.stringify([line])}::jsonb WHERE id = ${operationId}::uuid`;
}

type StepContext = {
  operationId: string;
  tenantId: string;
  type: OperationType;
  actor: Actor;
  statusBefore: TenantStatus | null;
  payload: Record<string, unknown>;
  /** What the API or page passed with the request (an image upgrade's target template). */
  params: Record<string, unknown>;
};

/** Adds a line to the running step's log (a step working through a list logs each item). */
type Note = (message: string) => Promise<void>;

class StepFailure extends Error {}

/** A step that cannot run before a date (a decommission's grace period): the job comes back then. */
class StepWaits extends Error {
  constructor(readonly until: Date) {
    super(`waits until ${until.toISOString()}`);
  }
}

/** An Odoo call of a lifecycle step, failing with the reason an operator can act on. */
async function odooStep(work: () => Promise<string>): Promise<string> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BackupUnavailable) throw new StepFailure(error.message);
    if (error instanceof OdooError) throw new StepFailure(`Odoo refused: ${error.message}`);
    throw error;
  }
}

const STEP_WORK: Record<OperationStep, (ctx: StepContext, note: Note) => Promise<string>> = {
  close_workspace: async (ctx) => {
    await platformDb.tenant.updateMany({ where: { id: ctx.tenantId, status: { not: "decommissioned" } }, data: { status: "paused" } });
    await recordAudit(ctx.tenantId, ctx.actor, "tenant.paused", null, { operationId: ctx.operationId });
    await emitPlatformEvent(ctx.tenantId, "tenant.paused", `tenant.paused:${ctx.operationId}`, { operation_id: ctx.operationId });
    return "workspace paused: its users are refused, its jobs wait and the nightly run and syncs skip it";
  },
  verify_odoo: async (ctx) => {
    const connection = await platformDb.odooConnection.findUnique({ where: { tenantId: ctx.tenantId }, select: { tenantId: true } });
    if (!connection) return "no Odoo connection yet; nothing to check";
    const result = await verifyOdooConnection(ctx.tenantId, ctx.actor);
    if (!result.ok) throw new StepFailure(`Odoo check failed: ${result.error}`);
    return `Odoo answered in ${result.latency_ms} ms (${result.server_version})`;
  },
  reopen_workspace: async (ctx) => {
    await platformDb.tenant.updateMany({ where: { id: ctx.tenantId, status: { not: "decommissioned" } }, data: { status: "active" } });
    await recordAudit(ctx.tenantId, ctx.actor, "tenant.resumed", null, { operationId: ctx.operationId });
    await emitPlatformEvent(ctx.tenantId, "tenant.resumed", `tenant.resumed:${ctx.operationId}`, { operation_id: ctx.operationId });
    return "workspace open to its users again";
  },
  starting: (ctx) => provisioningStep("starting", ctx),
  creating_odoo: (ctx) => provisioningStep("creating_odoo", ctx),
  configuring_oidc: (ctx) => provisioningStep("configuring_oidc", ctx),
  seeding: (ctx) => provisioningStep("seeding", ctx),
  install_modules: (ctx, note) => moduleStep(ctx, (payload) => changeModules(ctx.tenantId, payload.install, "install", note)),
  remove_modules: (ctx, note) => moduleStep(ctx, (payload) => changeModules(ctx.tenantId, payload.remove, "uninstall", note)),
  record_bundle: async (ctx) => {
    const payload = moduleApplyPayload.parse(ctx.payload);
    const outcome = await recordBundle(ctx.tenantId, payload);
    await recordAudit(ctx.tenantId, ctx.actor, "tenant.bundle_applied", payload.bundle, { operationId: ctx.operationId, version: payload.version });
    return outcome;
  },
  restore_status: async (ctx) => {
    // A rebuild leaves the workspace as it found it; one that was in error is repaired and opens again.
    const status = ctx.statusBefore === "paused" ? "paused" : "active";
    await platformDb.tenant.updateMany({ where: { id: ctx.tenantId, status: { not: "decommissioned" } }, data: { status } });
    if (ctx.type === "rebuild") await recordAudit(ctx.tenantId, ctx.actor, "tenant.rebuilt", null, { operationId: ctx.operationId });
    return `workspace ${status}`;
  },
  activate: async (ctx) => {
    const now = new Date();
    await platformDb.$transaction([
      platformDb.onboardingStatus.upsert({
        where: { tenantId: ctx.tenantId },
        create: { tenantId: ctx.tenantId, status: "ready", phase: "ready", readyAt: now },
        update: { status: "ready", phase: "ready", error: null, readyAt: now, updatedAt: now },
      }),
      platformDb.tenant.updateMany({ where: { id: ctx.tenantId, status: { in: ["provisioning", "error"] } }, data: { status: "active" } }),
    ]);
    await recordAudit(ctx.tenantId, ctx.actor, "tenant.provisioned", null, { operationId: ctx.operationId });
    return "workspace active";
  },
  export_data: (ctx) => odooStep(() => exportTenantData(ctx)),
  await_grace_period: async (ctx) => {
    const until = await graceEndsAt(ctx.tenantId);
    if (until) throw new StepWaits(until);
    return "grace period over";
  },
  remove_odoo: (ctx) => odooStep(() => removeTenantOdoo(ctx)),
  purge_rows: (ctx) => purgeTenantRows(ctx),
  write_receipt: (ctx) => writeDeletionReceipt(ctx),
  dump_odoo: (ctx) => odooStep(() => backupOdooDatabase(ctx)),
  restore_odoo: (ctx) => odooStep(() => restoreOdooDatabase({ tenantId: ctx.tenantId, backupId: String(ctx.payload.backupId ?? "") })),
  check_image_tested: async (ctx) => {
    const { target, previous } = await upgradeTarget(ctx);
    return `${target.name} v${target.version} runs ${target.odooImage}, a tested image (the workspace ran ${previous.imageTag ?? "its template's image"})`;
  },
  record_image: async (ctx) => {
    const { target } = await upgradeTarget(ctx);
    const tag = await recordImage(ctx.tenantId, target);
    await recordAudit(ctx.tenantId, ctx.actor, "tenant.image_upgraded", tag, { operationId: ctx.operationId, templateId: target.id });
    return `the workspace now runs ${target.odooImage}; its Helm values and compose file carry tag ${tag}`;
  },
  verify_upgraded_odoo: async (ctx) => {
    const connection = await platformDb.odooConnection.findUnique({ where: { tenantId: ctx.tenantId }, select: { tenantId: true } });
    if (!connection) return "no Odoo connection yet; nothing to check";
    const result = await verifyOdooConnection(ctx.tenantId, ctx.actor);
    if (result.ok) return `Odoo answered in ${result.latency_ms} ms (${result.server_version})`;
    const previous = await previousImageOf(ctx.operationId);
    if (previous) await rollBackImage(ctx.tenantId, previous);
    // The rollback undid record_image: a re-run records the new tag again before checking Odoo.
    await platformDb.$executeRaw`UPDATE tenant_operations SET steps_done = array_remove(steps_done, 'record_image') WHERE id = ${ctx.operationId}::uuid`;
    await recordAudit(ctx.tenantId, ctx.actor, "tenant.image_rolled_back", previous?.imageTag ?? null, { operationId: ctx.operationId });
    throw new StepFailure(
      `Odoo did not answer after the upgrade (${result.error}); the previous tag ${previous?.imageTag ?? "(the template's)"} is recorded again`,
    );
  },
};

/** A module step: Odoo's refusal of a module is the step's failure, in Odoo's words. */
async function moduleStep(ctx: StepContext, work: (payload: ReturnType<typeof moduleApplyPayload.parse>) => Promise<string>): Promise<string> {
  const payload = moduleApplyPayload.parse(ctx.payload);
  try {
    return await work(payload);
  } catch (error) {
    throw new StepFailure(error instanceof Error ? error.message : String(error));
  }
}

/** An operation a rollout asked for moves the rollout on when it ends, whichever way. */
async function moveRolloutOn(payload: Record<string, unknown>): Promise<void> {
  const rolloutId = typeof payload.rolloutId === "string" ? payload.rolloutId : null;
  if (rolloutId) await enqueue("advance_bundle_rollout", { rolloutId }, { jobKey: `rollout:${rolloutId}`, queueName: `bundle-rollout:${rolloutId}` });
}

async function upgradeTarget(ctx: StepContext) {
  try {
    return await checkTestedTarget(ctx.operationId, ctx.tenantId, ctx.params.templateId);
  } catch (error) {
    if (error instanceof UpgradeRefused) throw new StepFailure(error.message);
    throw error;
  }
}

async function provisioningStep(phase: "starting" | "creating_odoo" | "configuring_oidc" | "seeding", ctx: StepContext): Promise<string> {
  try {
    await runProvisioningPhase(phase, ctx.tenantId, ctx.actor);
  } catch (error) {
    throw new StepFailure(actionableMessage(phase, error));
  }
  return "checked";
}

/**
 * The job's work: claims the operation (queued or, after a crash, running),
 * runs its remaining steps and records the outcome. A failed step is the
 * operation's outcome, not a reason for the job to retry: an operator reads
 * the log and re-runs it.
 */
export async function runOperation(operationId: string): Promise<void> {
  const claimed = await platformDb.$queryRaw<
    Array<{
      tenant_id: string;
      type: OperationType;
      steps_done: string[];
      payload: Record<string, unknown>;
      actor_sub: string | null;
      actor_email: string | null;
      attempts: number;
    }>
  >`
    UPDATE tenant_operations SET status = 'running', started_at = COALESCE(started_at, now()), attempts = attempts + 1
    WHERE id = ${operationId}::uuid AND status IN ('queued', 'running')
    RETURNING tenant_id, type, steps_done, payload, actor_sub, actor_email, attempts`;
  const operation = claimed[0];
  if (!operation) return;
  const ctx: StepContext = {
    operationId,
    tenantId: operation.tenant_id,
    type: operation.type,
    actor: { sub: operation.actor_sub ?? "system", email: operation.actor_email },
    statusBefore: (operation.payload.statusBefore as TenantStatus | undefined) ?? null,
    payload: operation.payload,
    params: (operation.payload.params as Record<string, unknown> | undefined) ?? {},
  };
  for (const step of remainingSteps(operation.type, operation.steps_done)) {
    await appendLog(operationId, logLine("info", step, "started"));
    let outcome: string;
    try {
      outcome = await STEP_WORK[step](ctx, (message) => appendLog(operationId, logLine("info", step, message)));
    } catch (error) {
      if (error instanceof StepWaits) return waitForStep(ctx, step, error.until);
      await failOperation(ctx, operation.type, step, error);
      await operationFinished(ctx, operation.type, operation.attempts, "failed", step);
      return;
    }
    await platformDb.$executeRaw`
      UPDATE tenant_operations SET steps_done = array_append(steps_done, ${step}),
        logs = logs || ${JSON.stringify([logLine("info", step, outcome)])}::jsonb
      WHERE id = ${operationId}::uuid`;
  }
  await platformDb.$executeRaw`
    UPDATE tenant_operations SET status = 'succeeded', finished_at = now(),
      logs = logs || ${JSON.stringify([logLine("info", null, `${operation.type} finished`)])}::jsonb
    WHERE id = ${operationId}::uuid`;
  await recordAudit(ctx.tenantId, ctx.actor, "operation.succeeded", operation.type, { operationId });
  await operationFinished(ctx, operation.type, operation.attempts, "succeeded", null);
  await moveRolloutOn(ctx.payload);
}

/** One event per attempt that ends: a re-run that finishes is a new occurrence. */
async function operationFinished(ctx: StepContext, type: OperationType, attempt: number, status: "succeeded" | "failed", failedStep: string | null) {
  await emitPlatformEvent(ctx.tenantId, "operation.finished", `operation.finished:${ctx.operationId}:${attempt}`, {
    operation_id: ctx.operationId,
    type,
    status,
    failed_step: failedStep,
  });
}

/** Queued again for when the step may run; the operation stays open meanwhile, so nothing else runs on the workspace. */
async function waitForStep(ctx: StepContext, step: OperationStep, until: Date): Promise<void> {
  await platformDb.$executeRaw`
    UPDATE tenant_operations SET status = 'queued',
      logs = logs || ${JSON.stringify([logLine("info", step, `waits until ${until.toISOString()}`)])}::jsonb
    WHERE id = ${ctx.operationId}::uuid`;
  await enqueue(
    "run_tenant_operation",
    { operationId: ctx.operationId },
    { jobKey: operationJobKey(ctx.operationId), queueName: `tenant-operations:${ctx.tenantId}`, runAt: until },
  );
}

async function failOperation(ctx: StepContext, type: OperationType, step: OperationStep, error: unknown): Promise<void> {
  const message = error instanceof StepFailure ? error.message : `${step} failed unexpectedly (${error instanceof Error ? error.message : String(error)})`;
  if (!(error instanceof StepFailure)) log().error({ err: error, operationId: ctx.operationId, step }, "operation step failed unexpectedly");
  else log().warn({ operationId: ctx.operationId, step, message }, "operation step failed");
  const line = logLine("error", step, `${message} — runbook: ${runbookPath(step)}`);
  await platformDb.$transaction([
    platformDb.$executeRaw`
      UPDATE tenant_operations SET status = 'failed', failed_step = ${step}, error = ${message}, finished_at = now(),
        logs = logs || ${JSON.stringify([line])}::jsonb
      WHERE id = ${ctx.operationId}::uuid`,
    platformDb.tenant.updateMany({ where: { id: ctx.tenantId, status: { not: "decommissioned" } }, data: { status: "error" } }),
  ]);
  await recordAudit(ctx.tenantId, ctx.actor, "operation.failed", type, { operationId: ctx.operationId, step, error: message });
  // Operators hear of it on their alert channels and see it on /admin/alerts until someone resolves it.
  await db.$withTenant(ctx.tenantId, (tx) =>
    raiseAlert(tx, {
      kind: "operation_failed",
      key: `operation_failed:${type}`,
      severity: "critical",
      message: `${type} failed at ${step}: ${message}`,
      details: { operationId: ctx.operationId, step, runbook: runbookPath(step) },
    }),
  );
  await moveRolloutOn(ctx.payload);
}

export async function operationDetail(operationId: string) {
  return platformDb.tenantOperation.findUnique({ where: { id: operationId }, select: { ...operationSummary, payload: true, stepsDone: true, logs: true } });
}

/** The latest operations across tenants (or one tenant's), newest first. */
export async function recentOperations(options: { tenantId?: string; limit?: number; from?: Date; to?: Date } = {}) {
  return platformDb.tenantOperation.findMany({
    where: {
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
      ...(options.from || options.to ? { createdAt: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lt: options.to } : {}) } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(options.limit ?? 20, 500),
    select: operationSummary,
  });
}
