import { db } from "~/db.server";

export type AlertSeverity = "info" | "warning" | "critical";

/**
 * An alert for the tenant's dashboard, tied to a run. One open alert per kind
 * and run: repeats (every company hitting the same quota) do not pile up.
 */
export async function raiseRunAlert(tenantId: string, runId: string | null, kind: string, severity: AlertSeverity, message: string, details: Record<string, unknown> = {}) {
  await db.$withTenant(tenantId, async (tx) => {
    const open = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM alerts WHERE kind = ${kind} AND resolved_at IS NULL
        AND run_id IS NOT DISTINCT FROM ${runId}::uuid LIMIT 1`;
    if (open.length) return;
    await tx.$executeRaw`
      INSERT INTO alerts (kind, severity, message, details, run_id)
      VALUES (${kind}, ${severity}, ${message}, ${JSON.stringify(details)}::jsonb, ${runId}::uuid)`;
  });
}
