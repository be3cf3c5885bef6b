import { platformDb } from "~/db.server";
import { HEARTBEAT_FRESH_MS } from "~/jobs/heartbeat.server";
import { readQueue } from "~/metrics/platform-metrics.server";
import { tenantSeverity } from "./health";
import { TENANT_STATUSES, type TenantStatus } from "./lifecycle";

/** The platform overview's reads (platform client: every tenant). */

export async function tenantCounts(): Promise<Record<TenantStatus, number> & { total: number }> {
  const rows = await platformDb.tenant.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = Object.fromEntries(TENANT_STATUSES.map((s) => [s, 0])) as Record<TenantStatus, number>;
  for (const row of rows) counts[row.status as TenantStatus] = row._count._all;
  return { ...counts, total: rows.reduce((sum, r) => sum + r._count._all, 0) };
}

type HealthRow = {
  id: string;
  slug: string;
  name: string;
  status: string;
  provisioning: string | null;
  lastRunAt: Date | null;
  lastRunStatus: string | null;
  odooReachable: boolean | null;
  odooCheckedAt: Date | null;
  lastSyncAt: Date | null;
  staleSources: number;
  openAlerts: number;
  worstAlert: string | null;
};

/**
 * One line per tenant: provisioning, last run, the last Odoo check (its
 * audit entry), the oldest enabled lake source's last success and how many
 * are past their target, open alerts and the worst of them. The tenants that
 * most need a look come first.
 */
export async function tenantHealth(limit = 20) {
  const rows = await platformDb.$queryRaw<HealthRow[]>`
    SELECT t.id, t.slug, t.name, t.status,
      o.status || ' · ' || o.phase AS provisioning,
      r.created_at AS "lastRunAt", r.status AS "lastRunStatus",
      (v.details->>'ok')::boolean AS "odooReachable", v.created_at AS "odooCheckedAt",
      s.last_sync_at AS "lastSyncAt", COALESCE(s.stale, 0)::int AS "staleSources",
      COALESCE(a.open, 0)::int AS "openAlerts", a.worst AS "worstAlert"
    FROM tenants t
    LEFT JOIN onboarding_status o ON o.tenant_id = t.id
    LEFT JOIN LATERAL (SELECT created_at, status FROM runs WHERE tenant_id = t.id ORDER BY created_at DESC LIMIT 1) r ON true
    LEFT JOIN LATERAL (
      SELECT details, created_at FROM audit_log WHERE tenant_id = t.id AND action = 'odoo.verified' ORDER BY created_at DESC LIMIT 1
    ) v ON true
    LEFT JOIN LATERAL (
      SELECT min(last_success_at) AS last_sync_at,
        count(*) FILTER (WHERE last_success_at IS NULL OR last_success_at < now() - make_interval(mins => freshness_sla_minutes)) AS stale
      FROM lake_sources WHERE tenant_id = t.id AND enabled AND status <> 'not_connected'
    ) s ON true
    LEFT JOIN LATERAL (
      SELECT count(*) AS open,
        (ARRAY['info', 'warning', 'critical'])[max(CASE severity WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END)] AS worst
      FROM alerts WHERE tenant_id = t.id AND resolved_at IS NULL
    ) a ON true
    WHERE t.status <> 'decommissioned'
    ORDER BY (t.status = 'error') DESC, COALESCE(a.open, 0) DESC, t.created_at DESC
    LIMIT ${limit}`;
  return rows.map((row) => ({
    ...row,
    severity: tenantSeverity({ status: row.status, worstAlert: row.worstAlert, odooReachable: row.odooReachable, syncStale: row.staleSources > 0 }),
  }));
}

/** Jobs waiting, running and out of attempts across all tasks, and the worker processes' last heartbeats. */
export async function queueAndWorkers(now = new Date()) {
  const [queue, workers] = await Promise.all([
    readQueue(),
    platformDb.workerHeartbeat.findMany({
      orderBy: { seenAt: "desc" },
      take: 20,
      select: { workerId: true, hostname: true, pid: true, startedAt: true, seenAt: true },
    }),
  ]);
  const totals = { ready: 0, scheduled: 0, running: 0, failed: 0 };
  for (const row of queue) for (const state of Object.keys(totals) as Array<keyof typeof totals>) totals[state] += row[state];
  return {
    queue: totals,
    byTask: queue.filter((row) => row.ready + row.running + row.failed > 0).sort((a, b) => a.task.localeCompare(b.task)),
    workers: workers.map((w) => ({ ...w, alive: now.getTime() - w.seenAt.getTime() < HEARTBEAT_FRESH_MS })),
  };
}
