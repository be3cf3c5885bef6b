import { raiseAlert, resolveAlerts } from "~/alerts/alerts.server";
import { recordAudit } from "~/audit.server";
import { QuotaExceededError } from "~/billing/quotas";
import { db, platformDb } from "~/db.server";
import { parseIcpRules } from "~/icp/rules";
import { log } from "~/logger.server";
import { singaporeDate, singaporeHour } from "~/utils/singapore-time";
import { RunAlreadyActiveError, startRun } from "./start-run.server";

/**
 * The hourly sweep (cron, UTC): every active workspace whose nightly run is
 * due this Singapore hour and has not run today gets one, staggered a minute
 * apart so vendors see a smooth load. Cross-tenant by nature, hence the
 * platform client for the lookup; each run is then started in its tenant.
 */
export const STAGGER_MS = 60_000;

const PLAN_QUOTA_ALERT = "plan_quota";

export type DueTenant = { tenantId: string; slug: string };

export async function dueTenants(now: Date): Promise<DueTenant[]> {
  const hour = singaporeHour(now);
  const today = singaporeDate(now);
  const rows = await platformDb.$queryRaw<Array<{ id: string; slug: string; rules: unknown; ran_today: boolean }>>`
    SELECT t.id, t.slug,
           (SELECT r.rules FROM icp_rules r WHERE r.tenant_id = t.id ORDER BY r.version DESC LIMIT 1) AS rules,
           EXISTS (SELECT 1 FROM runs x WHERE x.tenant_id = t.id AND x.kind = 'nightly' AND x.run_date = ${today}::date) AS ran_today
    FROM tenants t WHERE t.status = 'active' ORDER BY t.created_at`;
  return rows
    .filter((row) => {
      if (row.ran_today) return false;
      const nightly = parseIcpRules(row.rules ?? {}).nightly;
      return (nightly?.enabled ?? true) && (nightly?.hourSgt ?? 2) === hour;
    })
    .map((row) => ({ tenantId: row.id, slug: row.slug }));
}

export async function sweepNightlyRuns(now = new Date()): Promise<number> {
  const due = await dueTenants(now);
  let started = 0;
  for (const [index, tenant] of due.entries()) {
    try {
      await startRun(tenant.tenantId, { kind: "nightly", actor: null, runAt: new Date(now.getTime() + index * STAGGER_MS) });
      started++;
      // The quota that stopped an earlier night has room again (a new month, another plan).
      await db.$withTenant(tenant.tenantId, (tx) => resolveAlerts(tx, [PLAN_QUOTA_ALERT]));
    } catch (error) {
      if (error instanceof QuotaExceededError) {
        await recordSkippedNightly(tenant, error);
        continue;
      }
      if (!(error instanceof RunAlreadyActiveError)) throw error;
      log().info({ tenant: tenant.slug }, "nightly run skipped: a run is already in progress");
    }
  }
  return started;
}

/** A plan quota stopped tonight's run: the audit log keeps why, and an open alert on the dashboard says so (one per quota, refreshed each night). */
async function recordSkippedNightly(tenant: DueTenant, error: QuotaExceededError) {
  log().info({ tenant: tenant.slug, quota: error.quota }, "nightly run skipped: plan quota reached");
  await db.$withTenant(tenant.tenantId, async (tx) => {
    await recordAudit(tenant.tenantId, null, "run.skipped", null, { kind: "nightly", quota: error.quota, reason: error.message }, tx);
    await raiseAlert(tx, {
      kind: PLAN_QUOTA_ALERT,
      key: `plan_quota:${error.quota}`,
      severity: "warning",
      message: `Tonight's nightly run was skipped. ${error.message}`,
      details: { quota: error.quota },
    });
  });
}
