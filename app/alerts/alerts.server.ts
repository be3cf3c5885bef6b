import { Prisma } from "~/generated/prisma/client";
import { db, type TenantTx } from "../db.server";
import { enqueue } from "../jobs/enqueue.server";
import { type AlertSeverity } from "./alert-severity";

export { ALERT_SEVERITIES, type AlertSeverity } from "./alert-severity";

/**
 * Tenant alerts: something an operator should look at (candidate floor,
 * degraded refresh, vendor quota, crawl error rate…). One open alert per kind
 * (and run, when given): raising it again refreshes it instead of piling up.
 * A new alert is handed to its channels (app/alerts/delivery.server.ts) by a
 * `deliver_alert` job queued in the raising transaction.
 */

export type AlertInput = {
  kind: string;
  severity: AlertSeverity;
  message: string;
  details?: Record<string, unknown>;
  runId?: string | null;
  /** What de-duplication compares (default: the kind); narrow it by what the alert concerns, e.g. `vendor_quota:lusha`. */
  key?: string;
};

export type AlertRow = {
  id: string;
  kind: string;
  severity: AlertSeverity;
  message: string;
  details: Record<string, unknown>;
  runId: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
};

/** Inside a tenant transaction: opens the alert, or refreshes the open one of the same kind. */
export async function raiseAlert(tx: TenantTx, alert: AlertInput): Promise<{ id: string; created: boolean }> {
  const details = JSON.stringify(alert.details ?? {});
  const updated = await tx.$queryRaw<Array<{ id: string }>>`
    UPDATE alerts SET severity = ${alert.severity}, message = ${alert.message}, details = ${details}::jsonb
    WHERE kind = ${alert.kind} AND resolved_at IS NULL AND run_id IS NOT DISTINCT FROM ${alert.runId ?? null}::uuid
    RETURNING id`;
  if (updated.length) return { id: updated[0]!.id, created: false };
  const inserted = await tx.$queryRaw<Array<{ id: string; tenant_id: string }>>`
    INSERT INTO alerts (kind, alert_key, severity, message, details, run_id)
    VALUES (${alert.kind}, ${alert.key ?? alert.kind}, ${alert.severity}, ${alert.message}, ${details}::jsonb, ${alert.runId ?? null}::uuid)
    RETURNING id, tenant_id`;
  const { id, tenant_id: tenantId } = inserted[0]!;
  await enqueue("deliver_alert", { tenantId, alertId: id }, { tx, jobKey: `alert:${id}:deliver` });
  return { id, created: true };
}

/** The statement that marks the open alerts of these kinds resolved (a caller may send it as a CTE with its own write). */
export function resolveAlertsSql(kinds: readonly string[]): Prisma.Sql {
  return Prisma.sql`UPDATE alerts SET resolved_at = now(), resolved_by = 'system' WHERE resolved_at IS NULL AND kind = ANY(${[...kinds]}::text[])`;
}

/** Marks the open alerts of these kinds resolved; returns how many. */
export async function resolveAlerts(tx: TenantTx, kinds: readonly string[]): Promise<number> {
  if (!kinds.length) return 0;
  return tx.$executeRaw(resolveAlertsSql(kinds));
}

export async function openAlerts(tenantId: string, options: { limit?: number } = {}): Promise<AlertRow[]> {
  return db.$withTenant(
    tenantId,
    (tx) =>
      tx.$queryRaw<AlertRow[]>`
      SELECT id, kind, severity, message, details, run_id AS "runId", created_at AS "createdAt", resolved_at AS "resolvedAt"
      FROM alerts WHERE resolved_at IS NULL ORDER BY created_at DESC LIMIT ${options.limit ?? 50}`,
  );
}
