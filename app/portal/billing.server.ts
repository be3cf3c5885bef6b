import { invoiceSummary, toInvoiceDocument } from "~/billing/invoices.server";
import { usageDayRow } from "~/billing/tenant-billing.server";
import { quotaLines } from "~/billing/usage-counters.server";
import { db } from "~/db.server";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * The portal's Billing tab, read through the RLS-bound client in the
 * workspace's own scope: the database shows it its issued, paid and void
 * invoices and never a draft (policy `issued_only`), and its own usage only.
 */
export async function portalBilling(tenantId: string) {
  const month = singaporeDate(new Date()).slice(0, 7);
  return db.$withTenant(tenantId, async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true } });
    const plan = await tx.plan.findUnique({ where: { code: tenant.plan } });
    const days = await tx.tenantUsageDaily.findMany({ where: { day: { gte: new Date(`${month}-01`) } }, orderBy: { day: "asc" } });
    const invoices = await tx.invoice.findMany({ orderBy: [{ periodStart: "desc" }, { createdAt: "desc" }], take: 24 });
    const quotas = await quotaLines(tx, tenantId);
    return {
      quotas,
      plan: plan && {
        code: plan.code,
        name: plan.name,
        currency: plan.currency,
        monthlyPriceCents: plan.monthlyPriceCents,
        pricePerCompanyCents: plan.pricePerCompanyCents,
      },
      usageDays: days.map(usageDayRow),
      invoices: invoices.map(invoiceSummary),
    };
  });
}

/** One of the workspace's invoices with its lines; null for another workspace's, a draft, or none. */
export async function portalInvoice(tenantId: string, invoiceId: string) {
  return db.$withTenant(tenantId, async (tx) => {
    const invoice = await tx.invoice.findFirst({ where: { id: invoiceId }, include: { lines: { orderBy: { position: "asc" } } } });
    return invoice ? toInvoiceDocument(invoice) : null;
  });
}
