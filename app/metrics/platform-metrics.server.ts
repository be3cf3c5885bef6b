import { platformDb } from "~/db.server";
import { freshnessSeries, type SourceFreshnessRow } from "./lake-freshness";
import { counter, gauge } from "./registry.server";

/*
 * Metrics read from the database at scrape time, for the whole platform: the
 * queue, runs, vendor usage and the data lake. Their facts are written by
 * whichever worker process did the work, so only the shared database has the
 * totals; any web instance answers the same. Reads go through the platform
 * client (cross-tenant by design) and are aggregates over small tables or over
 * the (tenant_id, …, created_at) indexes. Only the web process imports this
 * module, so a worker's own /metrics does not repeat them.
 */

const queueDepth = gauge({
  name: "nexius_job_queue_depth",
  help: "Jobs in graphile-worker's queue by task and state (ready: due and unlocked; scheduled: due later; running: locked; failed: out of attempts)",
  labelNames: ["task", "state"] as const,
});

const recentRuns = gauge({
  name: "nexius_runs_last_day",
  help: "Lead-engine runs created in the last 24 hours, by status and whether they ended degraded",
  labelNames: ["status", "degraded"] as const,
});

// Vendor calls, errors and cost come from run_vendor_usage, the ledger every
// run already keeps exactly (calls are counted where they are made, in any
// worker process, and summed in one upsert per run and vendor): read at scrape
// time they are the same on every web instance and survive worker restarts.
// They stay counters (monotonic until the retention sweep deletes old runs,
// which Prometheus reads as a counter reset). Latency is not in the ledger;
// it is a histogram observed in vendorRequest, in the process that calls.
const vendorLedger = {
  calls: "Vendor calls recorded by runs, by vendor",
  errors: "Vendor calls that failed, recorded by runs, by vendor",
  cost_usd: "Vendor cost recorded by runs, in US dollars, by vendor",
};
const vendorCounters = Object.fromEntries(
  Object.entries(vendorLedger).map(([column, help]) => [column, counter({ name: `nexius_vendor_${column}_total`, help, labelNames: ["vendor"] as const })]),
) as Record<keyof typeof vendorLedger, ReturnType<typeof counter<"vendor">>>;

const syncRuns = gauge({
  name: "nexius_lake_sync_runs_last_day",
  help: "Data-lake sync runs created in the last 24 hours, by source and status",
  labelNames: ["source", "status"] as const,
});
const oldestSync = gauge({
  name: "nexius_lake_freshness_seconds",
  help: "Per source, the age of the stalest enabled tenant source's last successful sync",
  labelNames: ["source"] as const,
});
const sourcesByFreshness = gauge({
  name: "nexius_lake_sources",
  help: "Enabled data-lake sources by source and freshness (fresh: within its SLA; stale; never synced)",
  labelNames: ["source", "freshness"] as const,
});
const tenantFreshness = gauge({
  name: "nexius_lake_tenant_freshness_seconds",
  help: "Age of each tenant source's last successful sync (tenant slug; omitted above a fixed number of sources)",
  labelNames: ["tenant", "source"] as const,
});

export type QueueRow = { task: string; ready: number; scheduled: number; running: number; failed: number };

/** graphile-worker's jobs by task and state (also the control plane's queue depth). */
export function readQueue() {
  return platformDb.$queryRaw<QueueRow[]>`
    SELECT t.identifier AS task,
      count(*) FILTER (WHERE j.is_available AND j.run_at <= now())::int AS ready,
      count(*) FILTER (WHERE j.is_available AND j.run_at > now())::int AS scheduled,
      count(*) FILTER (WHERE j.locked_at IS NOT NULL)::int AS running,
      count(*) FILTER (WHERE j.locked_at IS NULL AND j.attempts >= j.max_attempts)::int AS failed
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    GROUP BY t.identifier`;
}

function readRecentRuns() {
  return platformDb.$queryRaw<Array<{ status: string; degraded: boolean; count: number }>>`
    SELECT r.status, r.degraded, count(*)::int AS count
    FROM tenants t CROSS JOIN LATERAL (
      SELECT status, degraded FROM runs WHERE tenant_id = t.id AND created_at > now() - interval '24 hours'
    ) r
    GROUP BY r.status, r.degraded`;
}

function readVendorUsage() {
  return platformDb.$queryRaw<Array<{ vendor: string } & Record<keyof typeof vendorLedger, number>>>`
    SELECT vendor, sum(calls)::float8 AS calls, sum(errors)::float8 AS errors, sum(cost_usd)::float8 AS cost_usd
    FROM run_vendor_usage GROUP BY vendor`;
}

function readSyncRuns() {
  return platformDb.$queryRaw<Array<{ source: string; status: string; count: number }>>`
    SELECT s.source, r.status, count(*)::int AS count
    FROM lake_sources s CROSS JOIN LATERAL (
      SELECT status FROM lake_sync_runs
      WHERE tenant_id = s.tenant_id AND source = s.source AND created_at > now() - interval '24 hours'
    ) r
    GROUP BY s.source, r.status`;
}

function readSourceFreshness() {
  return platformDb.$queryRaw<SourceFreshnessRow[]>`
    SELECT t.slug AS tenant, s.source, s.last_success_at AS "lastSuccessAt", s.freshness_sla_minutes AS "slaMinutes"
    FROM lake_sources s JOIN tenants t ON t.id = s.tenant_id
    WHERE s.enabled ORDER BY t.slug, s.source`;
}

/**
 * Reads the platform's figures into their metrics. Called before each
 * exposition (not as prom-client collect() callbacks, which run concurrently
 * per metric: one read here fills several metrics consistently).
 */
export async function readPlatformMetrics(now = new Date()): Promise<void> {
  const [queue, runs, vendors, syncs, sources] = await Promise.all([readQueue(), readRecentRuns(), readVendorUsage(), readSyncRuns(), readSourceFreshness()]);
  for (const metric of [queueDepth, recentRuns, ...Object.values(vendorCounters), syncRuns, oldestSync, sourcesByFreshness, tenantFreshness]) metric.reset();
  for (const { task, ...states } of queue) for (const [state, count] of Object.entries(states)) queueDepth.set({ task, state }, count);
  for (const { status, degraded, count } of runs) recentRuns.set({ status, degraded: String(degraded) }, count);
  for (const { vendor, ...sums } of vendors)
    for (const [column, metric] of Object.entries(vendorCounters)) metric.inc({ vendor }, sums[column as keyof typeof sums]);
  for (const { source, status, count } of syncs) syncRuns.set({ source, status }, count);
  const freshness = freshnessSeries(sources, now);
  for (const [source, seconds] of freshness.oldestSeconds) oldestSync.set({ source }, seconds);
  for (const { source, freshness: state, count } of freshness.counts) sourcesByFreshness.set({ source, freshness: state }, count);
  for (const { tenant, source, seconds } of freshness.perTenant ?? []) tenantFreshness.set({ tenant, source }, seconds);
}
