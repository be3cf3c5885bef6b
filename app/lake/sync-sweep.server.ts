import { raiseAlert, resolveAlerts } from "../alerts/alerts.server";
import { db, platformDb } from "../db.server";
import { log } from "../logger.server";
import { staleSourceAlert } from "./freshness-alert";
import { type LakeSource, type SyncMode } from "./pipeline";
import { requestSync } from "./sync-requests.server";
import { dueSync, staleAlertKind } from "./sync-schedule";

/**
 * The scheduler, run by cron every few minutes: for every working tenant,
 * each connected source gets the sync its schedule (set in Settings) owes it
 * now, and a source older than its freshness SLA raises an alert, once per
 * staleness episode. Tenants with an Odoo connection get the Odoo source
 * without asking.
 */
type ScheduledRow = {
  tenant_id: string;
  source: LakeSource;
  incremental_every_minutes: number;
  full_reconcile_hour: number | null;
  freshness_sla_minutes: number;
  last_success_at: Date | null;
  last_full_at: Date | null;
  connected_at: Date | null;
  syncing: boolean;
  stale_alert_open: boolean;
};

export async function sweepLakeSyncs(now = new Date()): Promise<Array<{ tenantId: string; source: LakeSource; mode: SyncMode }>> {
  await platformDb.$executeRaw`
    INSERT INTO lake_sources (tenant_id, source, status, connected_at)
    SELECT c.tenant_id, 'odoo', 'connected', CURRENT_TIMESTAMP FROM odoo_connections c
    JOIN tenants t ON t.id = c.tenant_id WHERE t.status = 'active'
    ON CONFLICT (tenant_id, source) DO NOTHING`;
  const sources = await platformDb.$queryRaw<ScheduledRow[]>`
    SELECT s.tenant_id, s.source, s.incremental_every_minutes, s.full_reconcile_hour, s.freshness_sla_minutes,
      s.last_success_at, s.last_full_at, s.connected_at,
      EXISTS (SELECT 1 FROM lake_sync_runs r WHERE r.tenant_id = s.tenant_id AND r.source = s.source AND r.status IN ('queued', 'running')) AS syncing,
      -- staleAlertKind(source), spelled in SQL.
      EXISTS (SELECT 1 FROM alerts a WHERE a.tenant_id = s.tenant_id AND a.kind = 'lake_stale_' || s.source AND a.resolved_at IS NULL) AS stale_alert_open
    FROM lake_sources s JOIN tenants t ON t.id = s.tenant_id
    WHERE t.status = 'active' AND s.enabled AND s.status <> 'not_connected'`;
  const requested: Array<{ tenantId: string; source: LakeSource; mode: SyncMode }> = [];
  for (const row of sources) {
    try {
      await checkFreshness(row, now);
      const mode = row.syncing
        ? null
        : dueSync(
            {
              incrementalEveryMinutes: row.incremental_every_minutes,
              fullReconcileHour: row.full_reconcile_hour,
              freshnessSlaMinutes: row.freshness_sla_minutes,
              lastSuccessAt: row.last_success_at,
              lastFullAt: row.last_full_at,
            },
            now,
          );
      if (!mode) continue;
      await requestSync(row.tenant_id, { source: row.source, mode, trigger: "schedule" });
      requested.push({ tenantId: row.tenant_id, source: row.source, mode });
    } catch (error) {
      log().error({ tenantId: row.tenant_id, source: row.source, err: error }, "could not schedule a lake sync");
    }
  }
  return requested;
}

/** Opens the stale alert when a source passes its SLA (only if none is open: one alert per episode) and closes it once the source is fresh again. */
async function checkFreshness(row: ScheduledRow, now: Date) {
  const alert = staleSourceAlert(
    row.source,
    { lastSuccessAt: row.last_success_at, connectedAt: row.connected_at, freshnessSlaMinutes: row.freshness_sla_minutes },
    now,
  );
  if (alert && !row.stale_alert_open) {
    await db.$withTenant(row.tenant_id, (tx) => raiseAlert(tx, alert));
  } else if (!alert && row.stale_alert_open) {
    await db.$withTenant(row.tenant_id, (tx) => resolveAlerts(tx, [staleAlertKind(row.source)]));
  }
}
