import { platformDb } from "../db.server";
import { log } from "../logger.server";
import { singaporeHour } from "../utils/singapore-time";
import { type LakeSource, type SyncMode } from "./pipeline";
import { requestSync } from "./sync-requests.server";

/**
 * The scheduler, run by cron every few minutes: for every working tenant,
 * each connected source gets an incremental sync once its interval has
 * passed, and a full reconcile once a day at its Singapore hour. Tenants with
 * an Odoo connection get the Odoo source without asking.
 */
export async function sweepLakeSyncs(now = new Date()): Promise<Array<{ tenantId: string; source: LakeSource; mode: SyncMode }>> {
  await platformDb.$executeRaw`
    INSERT INTO lake_sources (tenant_id, source, status, connected_at)
    SELECT c.tenant_id, 'odoo', 'connected', CURRENT_TIMESTAMP FROM odoo_connections c
    JOIN tenants t ON t.id = c.tenant_id WHERE t.status = 'active'
    ON CONFLICT (tenant_id, source) DO NOTHING`;
  const due = await platformDb.$queryRaw<Array<{ tenant_id: string; source: LakeSource; full_due: boolean; incremental_due: boolean }>>`
    SELECT s.tenant_id, s.source,
      (s.last_full_at IS NULL OR s.last_full_at < ${now}::timestamptz - interval '20 hours') AND s.full_reconcile_hour = ${singaporeHour(now)} AS full_due,
      s.last_success_at IS NULL OR s.last_success_at < ${now}::timestamptz - make_interval(mins => s.incremental_every_minutes) AS incremental_due
    FROM lake_sources s JOIN tenants t ON t.id = s.tenant_id
    WHERE t.status = 'active' AND s.enabled AND s.status <> 'not_connected'
      AND NOT EXISTS (SELECT 1 FROM lake_sync_runs r WHERE r.tenant_id = s.tenant_id AND r.source = s.source AND r.status IN ('queued', 'running'))`;
  const requested: Array<{ tenantId: string; source: LakeSource; mode: SyncMode }> = [];
  for (const row of due) {
    const mode: SyncMode | null = row.full_due || row.incremental_due === null ? "full" : row.incremental_due ? "incremental" : null;
    if (!mode) continue;
    try {
      await requestSync(row.tenant_id, { source: row.source, mode, trigger: "schedule" });
      requested.push({ tenantId: row.tenant_id, source: row.source, mode });
    } catch (error) {
      log().error({ tenantId: row.tenant_id, source: row.source, err: error }, "could not schedule a lake sync");
    }
  }
  return requested;
}
