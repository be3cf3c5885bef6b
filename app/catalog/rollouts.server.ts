import { type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { log } from "~/logger.server";
import { requestBundleApply } from "./bundles.server";
import { bundleModules } from "./module-apply.server";
import { nextRolloutStep, planWaves, rollbackTargets, type RolloutStatus, type RolloutTenant, type RolloutTenantState } from "./plan";

/**
 * Rolling a bundle version out across tenants in waves: the canary alone
 * first, then batches, each tenant a module_apply operation. The rollout
 * moves on (job advance_bundle_rollout) whenever one of its operations ends;
 * each move reads the operations' outcomes, so a lost or repeated job does no
 * harm. The first failure stops it: the tenants not reached stay pending. A
 * rollback re-applies the previous version to the tenants it changed.
 */

export type RolloutRequest = { bundleCode: string; tenantIds: string[]; canaryTenantId: string; batchSize: number; actor: Actor };

export type RolloutRequestResult = { ok: true; rolloutId: string } | { ok: false; status: 400 | 404 | 409; reason: string };

async function enqueueAdvance(rolloutId: string): Promise<void> {
  await enqueue("advance_bundle_rollout", { rolloutId }, { jobKey: `rollout:${rolloutId}`, queueName: `bundle-rollout:${rolloutId}` });
}

export async function startRollout(request: RolloutRequest): Promise<RolloutRequestResult> {
  const bundle = await platformDb.moduleBundle.findUnique({ where: { code: request.bundleCode }, select: { code: true, version: true } });
  if (!bundle) return { ok: false, status: 404, reason: "No such bundle" };
  let waves;
  try {
    waves = planWaves(request.tenantIds, request.canaryTenantId, request.batchSize);
  } catch (error) {
    return { ok: false, status: 400, reason: (error as Error).message };
  }
  const found = await platformDb.tenant.count({ where: { id: { in: waves.map((w) => w.tenantId) }, status: { not: "decommissioned" } } });
  if (found !== waves.length) return { ok: false, status: 404, reason: "A chosen tenant does not exist or is decommissioned" };
  const running = await platformDb.bundleRollout.findFirst({
    where: { bundleCode: bundle.code, status: { in: ["running", "rolling_back"] } },
    select: { id: true },
  });
  if (running) return { ok: false, status: 409, reason: "A rollout of this bundle is still under way; wait for it to finish." };
  const rollout = await platformDb.bundleRollout.create({
    data: {
      bundleCode: bundle.code,
      version: bundle.version,
      previousVersion: bundle.version > 1 ? bundle.version - 1 : null,
      canaryTenantId: request.canaryTenantId,
      batchSize: request.batchSize,
      actorSub: request.actor.sub,
      actorEmail: request.actor.email ?? null,
      tenants: { create: waves.map((w) => ({ tenantId: w.tenantId, wave: w.wave })) },
    },
    select: { id: true },
  });
  await enqueueAdvance(rollout.id);
  return { ok: true, rolloutId: rollout.id };
}

/** Re-applies the previous bundle version to the tenants the rollout changed (installed, or failed part-way). */
export async function rollbackRollout(rolloutId: string): Promise<RolloutRequestResult> {
  const rollout = await platformDb.bundleRollout.findUnique({ where: { id: rolloutId }, select: { status: true, previousVersion: true } });
  if (!rollout) return { ok: false, status: 404, reason: "No such rollout" };
  if (rollout.previousVersion === null)
    return { ok: false, status: 409, reason: "This is the bundle's first version: there is no previous one to go back to." };
  const updated = await platformDb.bundleRollout.updateMany({
    where: { id: rolloutId, status: { in: ["succeeded", "stopped"] } },
    data: { status: "rolling_back", finishedAt: null },
  });
  if (updated.count === 0) return { ok: false, status: 409, reason: `Only a finished or stopped rollout can be rolled back; this one is ${rollout.status}.` };
  await enqueueAdvance(rolloutId);
  return { ok: true, rolloutId };
}

type OperationOutcome = { status: string; error: string | null };

async function outcomes(ids: Array<string | null>): Promise<Map<string, OperationOutcome>> {
  const present = ids.filter((id): id is string => Boolean(id));
  const rows = await platformDb.tenantOperation.findMany({ where: { id: { in: present } }, select: { id: true, status: true, error: true } });
  return new Map(rows.map((r) => [r.id, r]));
}

async function setTenant(
  rolloutId: string,
  tenantId: string,
  data: { state?: RolloutTenantState; error?: string | null; operationId?: string; rollbackOperationId?: string },
) {
  await platformDb.bundleRolloutTenant.update({ where: { rolloutId_tenantId: { rolloutId, tenantId } }, data });
}

async function finish(rolloutId: string, status: RolloutStatus): Promise<void> {
  await platformDb.bundleRollout.update({ where: { id: rolloutId }, data: { status, finishedAt: new Date() } });
  log().info({ rolloutId, status }, "bundle rollout finished");
}

/**
 * The operation a rollout asked for, found again by its payload: a move that
 * crashed after asking but before recording it must not ask twice.
 */
async function existingOperation(tenantId: string, rolloutId: string, rollback: boolean): Promise<string | null> {
  const rows = await platformDb.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM tenant_operations
    WHERE tenant_id = ${tenantId}::uuid AND type = 'module_apply' AND payload->>'rolloutId' = ${rolloutId}
      AND COALESCE((payload->>'rollback')::boolean, false) = ${rollback}
    ORDER BY created_at DESC LIMIT 1`;
  return rows[0]?.id ?? null;
}

/** One move of a rollout: record its operations' outcomes, then start the next wave, wait, or finish. */
export async function advanceRollout(rolloutId: string): Promise<void> {
  const rollout = await platformDb.bundleRollout.findUnique({ where: { id: rolloutId }, include: { tenants: true } });
  if (!rollout) return;
  if (rollout.status === "running") await advanceWaves(rollout);
  else if (rollout.status === "rolling_back") await advanceRollback(rollout);
}

type LoadedRollout = NonNullable<Awaited<ReturnType<typeof loadRollout>>>;
function loadRollout(id: string) {
  return platformDb.bundleRollout.findUnique({ where: { id }, include: { tenants: true } });
}

async function advanceWaves(rollout: LoadedRollout): Promise<void> {
  const ops = await outcomes(rollout.tenants.map((t) => t.operationId));
  const tenants: RolloutTenant[] = [];
  for (const t of rollout.tenants) {
    let state = t.state as RolloutTenantState;
    const op = t.operationId ? ops.get(t.operationId) : undefined;
    if (state === "pending" && op?.status === "succeeded") state = "installed";
    if (state === "pending" && op?.status === "failed") state = "failed";
    if (state !== t.state) await setTenant(rollout.id, t.tenantId, { state, error: state === "failed" ? op!.error : null });
    tenants.push({ tenantId: t.tenantId, wave: t.wave, state, operationId: t.operationId });
  }
  const step = nextRolloutStep(tenants);
  if (step.kind === "finish") return finish(rollout.id, step.status);
  if (step.kind === "wait") return;
  let refused = false;
  for (const tenantId of step.tenantIds) {
    const operationId = (await existingOperation(tenantId, rollout.id, false)) ?? (await askApply(rollout, tenantId, false));
    if (operationId) await setTenant(rollout.id, tenantId, { operationId });
    else refused = true;
  }
  // A tenant refused on the spot has no operation to end and move the rollout on: move it now.
  if (refused) await enqueueAdvance(rollout.id);
}

async function advanceRollback(rollout: LoadedRollout): Promise<void> {
  const ops = await outcomes(rollout.tenants.map((t) => t.rollbackOperationId));
  let underWay = false;
  let failed = false;
  for (const t of rollout.tenants) {
    if (!t.rollbackOperationId) continue;
    const op = ops.get(t.rollbackOperationId);
    if (op?.status === "succeeded") {
      if (t.state !== "removed") await setTenant(rollout.id, t.tenantId, { state: "removed", error: null });
    } else if (op?.status === "failed") {
      failed = true;
      if (t.error !== op.error || t.state !== "failed") await setTenant(rollout.id, t.tenantId, { state: "failed", error: `rollback: ${op.error}` });
    } else underWay = true;
  }
  const targets = rollbackTargets(rollout.tenants.filter((t) => !t.rollbackOperationId).map((t) => ({ ...t, state: t.state as RolloutTenantState })));
  let refused = false;
  for (const tenantId of targets) {
    const operationId = (await existingOperation(tenantId, rollout.id, true)) ?? (await askApply(rollout, tenantId, true));
    if (operationId) {
      await setTenant(rollout.id, tenantId, { rollbackOperationId: operationId });
      underWay = true;
    } else refused = true;
  }
  if (refused) failed = true;
  if (!underWay) await finish(rollout.id, failed ? "rollback_failed" : "rolled_back");
}

/** Asks for the tenant's module_apply (the rollout's version, or for a rollback the previous one); records a refusal as the tenant's failure. */
async function askApply(rollout: LoadedRollout, tenantId: string, rollback: boolean): Promise<string | null> {
  const actor = { sub: rollout.actorSub ?? "system", email: rollout.actorEmail };
  const result = rollback
    ? await requestBundleApply(tenantId, {
        bundle: rollout.bundleCode,
        version: rollout.previousVersion!,
        previousModules: (await bundleModules(rollout.bundleCode, rollout.version)) ?? [],
        rolloutId: rollout.id,
        rollback: true,
        source: "ui",
        actor,
      })
    : await requestBundleApply(tenantId, { bundle: rollout.bundleCode, version: rollout.version, rolloutId: rollout.id, source: "ui", actor });
  if (result.ok) return result.operationId;
  await setTenant(rollout.id, tenantId, { state: "failed", error: result.reason });
  return null;
}

export async function rolloutDetail(rolloutId: string) {
  const rollout = await loadRollout(rolloutId);
  if (!rollout) return null;
  const names = await platformDb.tenant.findMany({
    where: { id: { in: rollout.tenants.map((t) => t.tenantId) } },
    select: { id: true, slug: true, name: true },
  });
  const byId = new Map(names.map((t) => [t.id, t]));
  return {
    ...rollout,
    tenants: rollout.tenants
      .map((t) => ({ ...t, tenant: byId.get(t.tenantId) ?? null }))
      .sort((a, b) => a.wave - b.wave || (a.tenant?.slug ?? "").localeCompare(b.tenant?.slug ?? "")),
  };
}

export async function recentRollouts(bundleCode?: string) {
  return platformDb.bundleRollout.findMany({
    where: bundleCode ? { bundleCode } : {},
    orderBy: { createdAt: "desc" },
    take: 20,
    select: {
      id: true,
      bundleCode: true,
      version: true,
      status: true,
      createdAt: true,
      finishedAt: true,
      actorEmail: true,
      _count: { select: { tenants: true } },
    },
  });
}
