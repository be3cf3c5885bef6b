/**
 * Plan quotas: what a plan allows and whether one more of something fits.
 * Pure, so the app, the control plane and the nightly sweep decide alike.
 */
export const QUOTAS = {
  runsPerDay: { label: "manual runs per day", period: "today" },
  companiesPerMonth: { label: "companies enriched per month", period: "this month" },
  seats: { label: "seats", period: null },
  lakeSources: { label: "data-lake sources", period: null },
  exportsPerMonth: { label: "exports per month", period: "this month" },
} as const;

export type QuotaKey = keyof typeof QUOTAS;
export const QUOTA_KEYS = Object.keys(QUOTAS) as QuotaKey[];
export type PlanQuotas = { code: string; name: string } & Record<QuotaKey, number | null>;

export type QuotaDecision = { allowed: true; remaining: number | null } | { allowed: false; limit: number; used: number; message: string };

/** Whether `wanted` more fit beside `used` under the plan's quota (null: unlimited). */
export function checkQuota(plan: PlanQuotas, key: QuotaKey, used: number, wanted = 1): QuotaDecision {
  const limit = plan[key];
  if (limit === null) return { allowed: true, remaining: null };
  if (used + wanted <= limit) return { allowed: true, remaining: limit - used - wanted };
  const { label, period } = QUOTAS[key];
  const usedText = period ? `${used} used ${period}` : `${used} in use`;
  return {
    allowed: false,
    limit,
    used,
    message: `The ${plan.name} plan allows ${limit} ${label} (${usedText}). Ask your administrator to change the plan.`,
  };
}

/** Something the workspace's plan does not allow: a used-up quota (402) or a feature outside the plan (403), with the reason. */
export class PlanRefusal extends Error {
  constructor(
    readonly status: 402 | 403,
    message: string,
  ) {
    super(message);
    this.name = "PlanRefusal";
  }
}

/** A refused quota, answered with HTTP 402 Payment Required and its message. */
export class QuotaExceededError extends PlanRefusal {
  constructor(
    readonly quota: QuotaKey,
    message: string,
  ) {
    super(402, message);
    this.name = "QuotaExceededError";
  }
}

/** For `.catch(refusedQuota)`: a refused quota becomes the value to answer with; any other failure is thrown on. */
export function refusedQuota(error: unknown): QuotaExceededError {
  if (error instanceof QuotaExceededError) return error;
  throw error;
}

/** Throws QuotaExceededError when `wanted` more do not fit. */
export function assertQuota(plan: PlanQuotas, key: QuotaKey, used: number, wanted = 1): void {
  const decision = checkQuota(plan, key, used, wanted);
  if (!decision.allowed) throw new QuotaExceededError(key, decision.message);
}
