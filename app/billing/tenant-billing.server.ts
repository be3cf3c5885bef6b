import { platformDb } from "~/db.server";
import { type TenantUsageDaily } from "~/generated/prisma/client";
import { singaporeDate } from "~/utils/singapore-time";
import { monthPeriod } from "./invoice";
import { invoiceSummary } from "./invoices.server";
import { listPlanChangeRequests } from "./plan-changes.server";
import { quotaLines } from "./usage-counters.server";

/** A metered day as JSON carries it. */
export function usageDayRow(d: TenantUsageDaily) {
  return {
    day: d.day.toISOString().slice(0, 10),
    runs: d.runs,
    companiesEnriched: d.companiesEnriched,
    vendorCalls: d.vendorCalls,
    vendorCostUsd: d.vendorCostUsd,
    llmTokens: Number(d.llmTokens),
    exports: d.exports,
    seats: d.seats,
    storageBytes: Number(d.storageBytes),
  };
}

/**
 * A workspace's billing panel (control plane, API and portal read the same):
 * its plan and what it costs, this month's metered usage by day, its
 * invoices and plan change requests, and when the next invoice is drafted.
 */
export async function tenantBilling(tenantId: string, options: { includeDrafts: boolean } = { includeDrafts: true }) {
  const tenant = await platformDb.tenant.findUnique({ where: { id: tenantId }, select: { id: true, name: true, slug: true, status: true, plan: true } });
  if (!tenant) return null;
  const today = singaporeDate(new Date());
  const { periodStart: first, nextStart: next } = monthPeriod(today.slice(0, 7));
  const [plan, plans, days, invoices, planChanges] = await Promise.all([
    platformDb.plan.findUnique({ where: { code: tenant.plan } }),
    platformDb.plan.findMany({ where: { active: true }, orderBy: { sortOrder: "asc" } }),
    platformDb.tenantUsageDaily.findMany({ where: { tenantId, day: { gte: new Date(first), lt: new Date(next) } }, orderBy: { day: "asc" } }),
    platformDb.invoice.findMany({
      where: { tenantId, ...(options.includeDrafts ? {} : { status: { not: "draft" } }) },
      orderBy: [{ periodStart: "desc" }, { createdAt: "desc" }],
      take: 24,
    }),
    listPlanChangeRequests({ tenantId, take: 10 }),
  ]);
  const quotas = await quotaLines(platformDb, tenantId);
  const usageDays = days.map(usageDayRow);
  const sum = (key: "runs" | "companiesEnriched" | "vendorCalls" | "vendorCostUsd" | "llmTokens" | "exports") => usageDays.reduce((s, d) => s + d[key], 0);
  const latest = usageDays.at(-1);
  return {
    tenant,
    plan: plan && { ...plan, createdAt: undefined, updatedAt: undefined },
    plans: plans.map((p) => ({
      code: p.code,
      name: p.name,
      monthlyPriceCents: p.monthlyPriceCents,
      pricePerCompanyCents: p.pricePerCompanyCents,
      currency: p.currency,
    })),
    monthToDate: {
      from: first,
      runs: sum("runs"),
      companiesEnriched: sum("companiesEnriched"),
      vendorCalls: sum("vendorCalls"),
      vendorCostUsd: Number(sum("vendorCostUsd").toFixed(4)),
      llmTokens: sum("llmTokens"),
      exports: sum("exports"),
      seats: latest?.seats ?? 0,
      storageBytes: latest?.storageBytes ?? 0,
      meteredAt: days.reduce<Date | null>((max, d) => (max && max > d.meteredAt ? max : d.meteredAt), null)?.toISOString() ?? null,
    },
    usageDays,
    quotas,
    invoices: invoices.map(invoiceSummary),
    planChanges,
    nextInvoiceDate: next,
  };
}

export type TenantBilling = NonNullable<Awaited<ReturnType<typeof tenantBilling>>>;

/** The billing line of `GET /api/tenants/:id`: plan, what is owed, an open plan change, the next invoice's date. */
export async function billingSummary(tenantId: string) {
  const [tenant, owed, openChange] = await Promise.all([
    platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true } }),
    platformDb.invoice.aggregate({ where: { tenantId, status: "issued" }, _count: { _all: true }, _sum: { totalCents: true } }),
    platformDb.planChangeRequest.findFirst({ where: { tenantId, status: "proposed" }, select: { id: true, fromPlan: true, toPlan: true, createdAt: true } }),
  ]);
  const plan = await platformDb.plan.findUnique({ where: { code: tenant.plan }, select: { name: true, currency: true, monthlyPriceCents: true } });
  return {
    plan: tenant.plan,
    plan_name: plan?.name ?? null,
    currency: plan?.currency ?? null,
    monthly_price_cents: plan?.monthlyPriceCents ?? null,
    unpaid_invoices: owed._count._all,
    unpaid_cents: Number(owed._sum.totalCents ?? 0n),
    open_plan_change: openChange && { id: openChange.id, from: openChange.fromPlan, to: openChange.toPlan, proposed_at: openChange.createdAt.toISOString() },
    next_invoice_date: monthPeriod(singaporeDate(new Date()).slice(0, 7)).nextStart,
  };
}
