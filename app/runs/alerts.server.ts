import { raiseAlert, type AlertSeverity } from "~/alerts/alerts.server";
import { db } from "~/db.server";

/** An alert tied to a run, raised outside any other transaction (one open alert per kind and run). */
export async function raiseRunAlert(tenantId: string, runId: string | null, kind: string, severity: AlertSeverity, message: string, details: Record<string, unknown> = {}) {
  await db.$withTenant(tenantId, (tx) => raiseAlert(tx, { kind, severity, message, details, runId }));
}
