import { recordAudit, type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { BillingError } from "./invoices.server";

/**
 * Plan changes (seed 004 §6): finance proposes, a platform owner approves or
 * rejects; an owner may also change a plan at once, which is recorded as a
 * proposal approved by its author. Approval moves the workspace to the new
 * plan in the same transaction, so its quotas apply from the next request
 * and the invoice prorates from that moment (tenant_plan_periods).
 */
export async function proposePlanChange(input: { tenantId: string; toPlan: string; reason: string; actor: Actor }) {
  const [tenant, plan] = await Promise.all([
    platformDb.tenant.findUnique({ where: { id: input.tenantId }, select: { plan: true, status: true } }),
    platformDb.plan.findUnique({ where: { code: input.toPlan } }),
  ]);
  if (!tenant) throw new BillingError("No such tenant.");
  if (tenant.status === "decommissioned") throw new BillingError("The workspace is decommissioned: its plan no longer changes.");
  if (!plan || !plan.active) throw new BillingError(`There is no active plan "${input.toPlan}".`);
  if (tenant.plan === input.toPlan) throw new BillingError(`The workspace is already on the ${plan.name} plan.`);
  try {
    const request = await platformDb.planChangeRequest.create({
      data: {
        tenantId: input.tenantId,
        fromPlan: tenant.plan,
        toPlan: input.toPlan,
        reason: input.reason,
        proposedBySub: input.actor.sub,
        proposedByEmail: input.actor.email ?? null,
      },
    });
    await recordAudit(input.tenantId, input.actor, "plan.change_proposed", request.id, { from: tenant.plan, to: input.toPlan, reason: input.reason });
    return request;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new BillingError("A plan change for this workspace is already waiting for approval: approve, reject or withdraw it first.");
    }
    throw error;
  }
}

/** Approves or rejects an open proposal; approving moves the workspace to the proposed plan. */
export async function decidePlanChange(input: { tenantId: string; requestId: string; approve: boolean; note: string | null; actor: Actor }) {
  const decided = await platformDb.$transaction(async (tx) => {
    const request = await tx.planChangeRequest.findUnique({ where: { tenantId_id: { tenantId: input.tenantId, id: input.requestId } } });
    if (!request) throw new BillingError("No such plan change request.");
    const moved = await tx.planChangeRequest.updateMany({
      where: { tenantId: input.tenantId, id: input.requestId, status: "proposed" },
      data: {
        status: input.approve ? "approved" : "rejected",
        decidedBySub: input.actor.sub,
        decidedByEmail: input.actor.email ?? null,
        decisionNote: input.note,
        decidedAt: new Date(),
      },
    });
    if (moved.count === 0) throw new BillingError(`The request was already ${request.status}.`);
    if (input.approve) {
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: input.tenantId }, select: { plan: true } });
      if (tenant.plan !== request.fromPlan) {
        throw new BillingError(`The workspace moved to ${tenant.plan} after this was proposed (from ${request.fromPlan}): reject it and propose again.`);
      }
      await tx.tenant.update({ where: { id: input.tenantId }, data: { plan: request.toPlan } });
    }
    return request;
  });
  await recordAudit(input.tenantId, input.actor, input.approve ? "plan.changed" : "plan.change_rejected", input.requestId, {
    from: decided.fromPlan,
    to: decided.toPlan,
    note: input.note,
  });
  return decided;
}

/** The proposer (or an owner) takes an open proposal back. */
export async function withdrawPlanChange(input: { tenantId: string; requestId: string; actor: Actor }) {
  const moved = await platformDb.planChangeRequest.updateMany({
    where: { tenantId: input.tenantId, id: input.requestId, status: "proposed" },
    data: { status: "withdrawn", decidedBySub: input.actor.sub, decidedByEmail: input.actor.email ?? null, decidedAt: new Date() },
  });
  if (moved.count === 0) throw new BillingError("Only an open proposal can be withdrawn.");
  await recordAudit(input.tenantId, input.actor, "plan.change_withdrawn", input.requestId);
}

/** An owner's direct change: proposed and approved by the same person, in the same record. */
export async function changePlanNow(input: { tenantId: string; toPlan: string; reason: string; actor: Actor }) {
  const request = await proposePlanChange(input);
  return decidePlanChange({
    tenantId: input.tenantId,
    requestId: request.id,
    approve: true,
    note: "Changed directly by a platform owner.",
    actor: input.actor,
  });
}

/** Open proposals first, then the latest decisions; with the workspace and the plans' names. */
export async function listPlanChangeRequests(options: { tenantId?: string; take?: number } = {}) {
  const requests = await platformDb.planChangeRequest.findMany({
    where: options.tenantId ? { tenantId: options.tenantId } : {},
    orderBy: [{ decidedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    take: options.take ?? 20,
  });
  const tenants = await platformDb.tenant.findMany({
    where: { id: { in: [...new Set(requests.map((r) => r.tenantId))] } },
    select: { id: true, name: true, slug: true },
  });
  const byId = new Map(tenants.map((t) => [t.id, t]));
  return requests.map((r) => ({
    ...r,
    tenantName: byId.get(r.tenantId)?.name ?? r.tenantId,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  }));
}
