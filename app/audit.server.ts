import { platformDb, type TenantTx } from "./db.server";
import { currentLogContext } from "./logger.server";

export type Actor = { sub: string; email?: string | null };

/**
 * One line in a tenant's audit trail. Inside a tenant transaction the actor
 * and request id come from the transaction's settings; outside one (sign-in,
 * control plane) they are passed here.
 */
export async function recordAudit(
  tenantId: string,
  actor: Actor | null,
  action: string,
  target: string | null = null,
  details: Record<string, unknown> = {},
  tx?: TenantTx,
): Promise<void> {
  const data = {
    tenantId,
    action,
    target,
    details: details as object,
    ...(actor ? { actorSub: actor.sub, actorEmail: actor.email ?? null } : {}),
    requestId: currentLogContext().requestId ?? null,
  };
  if (tx) await tx.auditLog.create({ data });
  else await platformDb.auditLog.create({ data });
}
