import { PlanRefusal } from "./quotas";

/**
 * Feature entitlements: what a plan includes beyond its quotas. Pure, so the
 * control plane, the workspace's settings and the plan editor agree.
 */
export const FEATURES = {
  tenant_sso: "its own identity provider",
  analytics_hub: "the analytics hub",
  lake_m365: "the Microsoft 365 data-lake source",
} as const;

export type FeatureKey = keyof typeof FEATURES;
export const FEATURE_KEYS = Object.keys(FEATURES) as FeatureKey[];

/** The plan's reason to refuse `feature`, or null when it includes it. */
export function featureRefusal(plan: { name: string; features: readonly string[] }, feature: FeatureKey): string | null {
  if (plan.features.includes(feature)) return null;
  return `The ${plan.name} plan does not include ${FEATURES[feature]}. Ask the platform to change the plan.`;
}

/** A feature outside the workspace's plan, answered with HTTP 403 and the reason. */
export class FeatureNotInPlanError extends PlanRefusal {
  constructor(
    readonly feature: FeatureKey,
    message: string,
  ) {
    super(403, message);
    this.name = "FeatureNotInPlanError";
  }
}
