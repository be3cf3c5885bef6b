import { type Actor, recordAudit } from "~/audit.server";
import { QuotaExceededError } from "~/billing/quotas";
import { assertWithinPlan, EXPORT_AUDIT_ACTION, quotaRefusal } from "~/billing/usage-counters.server";
import { db } from "~/db.server";
import { apiError } from "~/http.server";

/**
 * The plan's exports per month. A download is counted by its audit line, so
 * checking and recording are one transaction under the quota's lock: the last
 * export of the month goes to one request only.
 */

/** Records one download; when the month's exports are used up, records nothing and returns the 402 `quota_exceeded` answer. */
export async function recordExport(tenantId: string, actor: Actor, target: string, details: Record<string, unknown>): Promise<Response | null> {
  try {
    await db.$withTenant(tenantId, async (tx) => {
      await assertWithinPlan(tx, tenantId, "exportsPerMonth");
      await recordAudit(tenantId, actor, EXPORT_AUDIT_ACTION, target, details, tx);
    });
    return null;
  } catch (error) {
    if (error instanceof QuotaExceededError) return apiError(402, "quota_exceeded", error.message, { quota: error.quota });
    throw error;
  }
}

/** Why the pages' export links would be refused now (the plan's message), or null while exports remain. */
export function exportRefusal(tenantId: string): Promise<string | null> {
  return db.$withTenant(tenantId, (tx) => quotaRefusal(tx, tenantId, "exportsPerMonth"));
}
