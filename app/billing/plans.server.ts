import { z } from "zod";
import { type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { log } from "~/logger.server";
import { FEATURE_KEYS, type FeatureKey } from "./entitlements";
import { QUOTA_KEYS, type QuotaKey } from "./quotas";

/** "1,490.00" or "1490" → cents; refuses fractions of a cent and negatives. */
const Money = z
  .string()
  .trim()
  .transform((v) => v.replace(/,/g, ""))
  .pipe(z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, "An amount like 490 or 0.15"))
  .transform((v) => Math.round(Number(v) * 100));

/** Blank is unlimited. */
const Quota = z
  .string()
  .trim()
  .transform((v) => (v === "" ? null : v))
  .pipe(
    z
      .string()
      .regex(/^\d{1,9}$/, "A whole number, or blank for unlimited")
      .transform(Number)
      .nullable(),
  );

export const PlanForm = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]{1,39}$/, "2–40 lower-case letters, digits, - or _, starting with a letter"),
  name: z.string().trim().min(2, "Give the plan a name").max(60),
  description: z.string().trim().max(300).default(""),
  monthlyPrice: Money,
  pricePerCompany: Money,
  active: z.enum(["on"]).optional(),
  ...(Object.fromEntries(QUOTA_KEYS.map((key) => [key, Quota])) as Record<QuotaKey, typeof Quota>),
  // One checkbox per feature (`feature_tenant_sso=on`), so the form stays a flat record.
  ...(Object.fromEntries(FEATURE_KEYS.map((key) => [`feature_${key}`, z.enum(["on"]).optional()])) as Record<
    `feature_${FeatureKey}`,
    z.ZodOptional<z.ZodEnum<{ on: "on" }>>
  >),
});

/**
 * Creates a plan or changes one (prices and quotas apply from the next
 * request and the next draft; issued invoices keep their figures).
 */
export async function savePlan(form: z.output<typeof PlanForm>, actor: Actor) {
  const { code, name, description, monthlyPrice, pricePerCompany, active } = form;
  const data = {
    name,
    description,
    monthlyPriceCents: monthlyPrice,
    pricePerCompanyCents: pricePerCompany,
    active: active === "on",
    features: FEATURE_KEYS.filter((key) => form[`feature_${key}`] === "on"),
    ...(Object.fromEntries(QUOTA_KEYS.map((key) => [key, form[key]])) as Record<QuotaKey, number | null>),
  };
  const existing = await platformDb.plan.findUnique({ where: { code }, select: { sortOrder: true } });
  const maxOrder = existing ? null : await platformDb.plan.aggregate({ _max: { sortOrder: true } });
  const plan = await platformDb.plan.upsert({
    where: { code },
    create: { code, ...data, sortOrder: (maxOrder?._max.sortOrder ?? 0) + 10 },
    update: data,
  });
  // Plans are the platform's, not a tenant's: the change goes to the platform log, like infra templates.
  log().info({ plan: { code, ...data }, actor: actor.email ?? actor.sub }, existing ? "plan changed" : "plan created");
  return plan;
}
