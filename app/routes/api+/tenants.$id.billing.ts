import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { BILLING_ROLES } from "~/auth/roles";
import { tenantBilling } from "~/billing/tenant-billing.server";
import { apiError } from "~/http.server";

/**
 * GET /api/tenants/:id/billing: the tenant's plan (prices and quotas), this
 * month's metered usage (totals and by day), its invoices (24 newest) and plan
 * change requests, and when the next invoice is drafted — the billing tab's
 * data, for owners, finance and operators (who read it but change nothing).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformUser(request, [...BILLING_ROLES, "platform_operator"]);
  const id = z.uuid().safeParse(params.id);
  const billing = id.success ? await tenantBilling(id.data) : null;
  if (!billing) return apiError(404, "not_found", "No such tenant");
  const { plan, planChanges, ...rest } = billing;
  return Response.json({
    ...rest,
    plan: plan && {
      code: plan.code,
      name: plan.name,
      currency: plan.currency,
      monthly_price_cents: plan.monthlyPriceCents,
      price_per_company_cents: plan.pricePerCompanyCents,
      features: plan.features,
      quotas: {
        runs_per_day: plan.runsPerDay,
        companies_per_month: plan.companiesPerMonth,
        seats: plan.seats,
        lake_sources: plan.lakeSources,
        exports_per_month: plan.exportsPerMonth,
      },
    },
    planChanges: planChanges.map(({ proposedBySub: _p, decidedBySub: _d, ...change }) => change),
  });
}
