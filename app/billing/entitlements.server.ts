import { type TenantTx } from "~/db.server";
import { featureRefusal, FeatureNotInPlanError, type FeatureKey } from "./entitlements";

/**
 * The workspace's plan's reason to refuse `feature`, or null. A plan code
 * missing from the catalogue refuses nothing: that gap is the platform's to
 * fix, and the workspace keeps working meanwhile (as with quotas).
 */
export async function planFeatureRefusal(tx: TenantTx, tenantId: string, feature: FeatureKey): Promise<string | null> {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { plan: true } });
  const plan = tenant && (await tx.plan.findUnique({ where: { code: tenant.plan }, select: { name: true, features: true } }));
  return plan ? featureRefusal(plan, feature) : null;
}

/** Throws FeatureNotInPlanError (403, with the plan's reason) when the plan does not include `feature`. */
export async function assertPlanFeature(tx: TenantTx, tenantId: string, feature: FeatureKey): Promise<void> {
  const refusal = await planFeatureRefusal(tx, tenantId, feature);
  if (refusal) throw new FeatureNotInPlanError(feature, refusal);
}
