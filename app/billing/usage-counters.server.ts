import { type TenantTx } from "~/db.server";
import { singaporeDate } from "~/utils/singapore-time";
import { monthPeriod } from "./invoice";
import { assertQuota, checkQuota, QUOTA_KEYS, QUOTAS, type PlanQuotas, type QuotaKey } from "./quotas";

/**
 * How much of each plan quota a workspace has used, counted from what the
 * platform already records, and the plan it is measured against. Every
 * enforcement point (runs, the nightly sweep, exports, member joins, data-lake
 * connections) asks here, so the app, the control plane and the portal count
 * alike. Each counter names the tenant explicitly, so it answers the same in a
 * tenant transaction (RLS) and in a platform one. Periods are Singapore's
 * calendar day and month, like a run's date.
 */
export type QuotaUsage = Record<QuotaKey, number>;

/** A run that may still enrich the companies it picked holds them against the month's quota. */
const ACTIVE_RUN = ["queued", "running", "finalizing"];

/** The audit action every shortlist and CRM download is recorded under. */
export const EXPORT_AUDIT_ACTION = "export.downloaded";

/** The Singapore month of an instant: its first day (for run dates) and its bounds as instants (for timestamps). */
function singaporeMonth(now: Date) {
  const { periodStart: first, nextStart: next } = monthPeriod(singaporeDate(now).slice(0, 7));
  return { first, next, from: new Date(`${first}T00:00:00+08:00`), to: new Date(`${next}T00:00:00+08:00`) };
}

const COUNTERS: Record<QuotaKey, (tx: TenantTx, tenantId: string, now: Date) => Promise<number>> = {
  /** Manual runs of the Singapore day (nightly and one-company re-enrich runs are not counted). */
  runsPerDay: (tx, tenantId, now) => tx.run.count({ where: { tenantId, kind: "manual", runDate: new Date(`${singaporeDate(now)}T00:00:00Z`) } }),
  /**
   * Companies whose enrichment finished this month (a re-enrich counts
   * again), as the billing meter counts them, plus those a run still under
   * way holds, so a run cannot pick what another is about to use. A company
   * that failed was not enriched. Runs dated within a month before this one
   * are the only ones that can finish companies in it (the watchdog ends a
   * stalled run long before), which keeps the count on the runs' date index.
   */
  companiesPerMonth: async (tx, tenantId, now) => {
    const { first, from, to } = singaporeMonth(now);
    const [row] = await tx.$queryRaw<[{ n: number }]>`
      SELECT count(*)::int AS n FROM runs r
      JOIN run_companies c ON c.tenant_id = r.tenant_id AND c.run_id = r.id
      WHERE r.tenant_id = ${tenantId}::uuid AND r.run_date >= ${first}::date - 31
        AND ((c.status = 'done' AND c.finished_at >= ${from} AND c.finished_at < ${to})
          OR (c.status NOT IN ('done', 'failed') AND r.status = ANY(${ACTIVE_RUN}::text[])))`;
    return row.n;
  },
  /** Members of the workspace. */
  seats: (tx, tenantId) => tx.tenantUser.count({ where: { tenantId } }),
  /** Data-lake sources connected (the ones the scheduler syncs). */
  lakeSources: (tx, tenantId) => tx.lakeSource.count({ where: { tenantId, status: { not: "not_connected" } } }),
  /** Shortlist and CRM downloads of the Singapore month, from the audit log. */
  exportsPerMonth: (tx, tenantId, now) => {
    const { from, to } = singaporeMonth(now);
    return tx.auditLog.count({ where: { tenantId, action: EXPORT_AUDIT_ACTION, createdAt: { gte: from, lt: to } } });
  },
};

/** The workspace's plan and its quotas; null when the tenant's plan code is not in the catalogue. */
export async function tenantPlan(tx: TenantTx, tenantId: string): Promise<PlanQuotas | null> {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { plan: true } });
  if (!tenant) return null;
  return tx.plan.findUnique({
    where: { code: tenant.plan },
    select: { code: true, name: true, runsPerDay: true, companiesPerMonth: true, seats: true, lakeSources: true, exportsPerMonth: true },
  });
}

/** What the workspace has used of every quota now. */
export async function quotaUsage(tx: TenantTx, tenantId: string, now = new Date()): Promise<QuotaUsage> {
  const counts = await Promise.all(QUOTA_KEYS.map((key) => COUNTERS[key](tx, tenantId, now)));
  return Object.fromEntries(QUOTA_KEYS.map((key, i) => [key, counts[i]])) as QuotaUsage;
}

export type QuotaStanding = { plan: PlanQuotas | null; used: number; limit: number | null; remaining: number | null };

/**
 * One quota's standing, for a decision that writes what it counts: holds the
 * tenant's lock on that quota until the transaction ends, so two requests
 * cannot both take the last one. `remaining` is null when unlimited (or the
 * plan is missing from the catalogue: that gap is the platform's to fix, the
 * workspace keeps working).
 */
export async function quotaStanding(tx: TenantTx, tenantId: string, key: QuotaKey, now = new Date()): Promise<QuotaStanding> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`quota:${tenantId}:${key}`}, 0))`;
  const plan = await tenantPlan(tx, tenantId);
  const used = await COUNTERS[key](tx, tenantId, now);
  const limit = plan?.[key] ?? null;
  return { plan, used, limit, remaining: limit === null ? null : Math.max(0, limit - used) };
}

/** Throws QuotaExceededError (402, with the plan's message) when `wanted` more of `key` do not fit; holds the quota's lock like quotaStanding. */
export async function assertWithinPlan(tx: TenantTx, tenantId: string, key: QuotaKey, wanted = 1, now = new Date()): Promise<void> {
  const { plan, used } = await quotaStanding(tx, tenantId, key, now);
  if (plan) assertQuota(plan, key, used, wanted);
}

/** A page's early word (no lock): the plan's message when one more of `key` would be refused now, else null. */
export async function quotaRefusal(tx: TenantTx, tenantId: string, key: QuotaKey, now = new Date()): Promise<string | null> {
  const plan = await tenantPlan(tx, tenantId);
  if (!plan || plan[key] === null) return null;
  const decision = checkQuota(plan, key, await COUNTERS[key](tx, tenantId, now));
  return decision.allowed ? null : decision.message;
}

/** Every quota of the plan beside what is used of it now, for the billing pages (no lock: a reading, not a decision). */
export async function quotaLines(tx: TenantTx, tenantId: string, now = new Date()) {
  const [plan, used] = await Promise.all([tenantPlan(tx, tenantId), quotaUsage(tx, tenantId, now)]);
  return QUOTA_KEYS.map((key) => ({ key, label: QUOTAS[key].label, period: QUOTAS[key].period, limit: plan?.[key] ?? null, used: used[key] }));
}
