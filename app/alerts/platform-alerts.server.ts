import { recordAudit, type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { type AlertSeverity, type AlertState } from "./alert-severity";

/**
 * The control plane's view of every workspace's alerts, with the operator's
 * acknowledgement and resolution (who and when, also in the workspace's
 * audit log). Cross-tenant by design: callers are behind the platform guard.
 */
export const PLATFORM_ALERTS_PAGE_SIZE = 25;

export type PlatformAlertFilters = { tenant?: string; severity?: AlertSeverity; state?: AlertState; page: number };

export type PlatformAlertRow = {
  id: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  kind: string;
  severity: string;
  message: string;
  runId: string | null;
  createdAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
};

export async function listPlatformAlerts(filters: PlatformAlertFilters) {
  const where: Prisma.Sql[] = [Prisma.sql`true`];
  if (filters.tenant) where.push(Prisma.sql`t.slug = ${filters.tenant}`);
  if (filters.severity) where.push(Prisma.sql`a.severity = ${filters.severity}`);
  if (filters.state === "open") where.push(Prisma.sql`a.resolved_at IS NULL AND a.acknowledged_at IS NULL`);
  if (filters.state === "acknowledged") where.push(Prisma.sql`a.resolved_at IS NULL AND a.acknowledged_at IS NOT NULL`);
  if (filters.state === "resolved") where.push(Prisma.sql`a.resolved_at IS NOT NULL`);
  const condition = Prisma.join(where, " AND ");
  const [counted, alerts, tenants] = await Promise.all([
    platformDb.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM alerts a JOIN tenants t ON t.id = a.tenant_id WHERE ${condition}`,
    platformDb.$queryRaw<PlatformAlertRow[]>`
      SELECT a.id, a.tenant_id AS "tenantId", t.slug AS "tenantSlug", t.name AS "tenantName", a.kind, a.severity, a.message, a.run_id AS "runId",
             a.created_at AS "createdAt", a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy",
             a.resolved_at AS "resolvedAt", a.resolved_by AS "resolvedBy"
      FROM alerts a JOIN tenants t ON t.id = a.tenant_id
      WHERE ${condition}
      ORDER BY a.created_at DESC, a.id
      LIMIT ${PLATFORM_ALERTS_PAGE_SIZE} OFFSET ${(filters.page - 1) * PLATFORM_ALERTS_PAGE_SIZE}`,
    platformDb.tenant.findMany({ select: { slug: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  const total = counted[0]?.n ?? 0;
  return { alerts, total, pages: Math.max(1, Math.ceil(total / PLATFORM_ALERTS_PAGE_SIZE)), tenants };
}

/** Marks an open alert acknowledged (someone is on it); false when it is unknown, resolved or already acknowledged. */
export async function acknowledgeAlert(alertId: string, actor: Actor): Promise<boolean> {
  const by = actor.email ?? actor.sub;
  const rows = await platformDb.$queryRaw<Array<{ tenant_id: string }>>`
    UPDATE alerts SET acknowledged_at = now(), acknowledged_by = ${by}
    WHERE id = ${alertId}::uuid AND acknowledged_at IS NULL AND resolved_at IS NULL
    RETURNING tenant_id`;
  if (!rows[0]) return false;
  await recordAudit(rows[0].tenant_id, actor, "alert.acknowledged", alertId);
  return true;
}

/** Resolves an alert by hand; false when it is unknown or already resolved. */
export async function resolveAlert(alertId: string, actor: Actor): Promise<boolean> {
  const by = actor.email ?? actor.sub;
  const rows = await platformDb.$queryRaw<Array<{ tenant_id: string }>>`
    UPDATE alerts SET resolved_at = now(), resolved_by = ${by}
    WHERE id = ${alertId}::uuid AND resolved_at IS NULL
    RETURNING tenant_id`;
  if (!rows[0]) return false;
  await recordAudit(rows[0].tenant_id, actor, "alert.resolved", alertId);
  return true;
}
