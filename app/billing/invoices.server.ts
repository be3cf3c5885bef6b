import { recordAudit, type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { Prisma } from "~/generated/prisma/client";
import { singaporeDate } from "~/utils/singapore-time";
import { draftInvoice, GST, monthPeriod, type InvoicePlan } from "./invoice";
import { meterUsage } from "./metering.server";

/** A billing step refused for a reason the person can act on (HTTP 409 with the message). */
export class BillingError extends Error {
  readonly status = 409;
  constructor(message: string) {
    super(message);
    this.name = "BillingError";
  }
}

const INVOICES_PER_PAGE = 20;

/** The plans as the invoice prices them. */
async function invoicePlans(): Promise<Map<string, InvoicePlan>> {
  const plans = await platformDb.plan.findMany();
  return new Map(plans.map((p) => [p.code, p]));
}

/** The period's usage totals, stored on the invoice as billed. */
function usageSummary(
  rows: Array<{ runs: number; companiesEnriched: number; vendorCalls: number; vendorCostUsd: number; llmTokens: bigint; exports: number; seats: number }>,
) {
  return {
    runs: rows.reduce((s, r) => s + r.runs, 0),
    companies_enriched: rows.reduce((s, r) => s + r.companiesEnriched, 0),
    vendor_calls: rows.reduce((s, r) => s + r.vendorCalls, 0),
    vendor_cost_usd: Number(rows.reduce((s, r) => s + r.vendorCostUsd, 0).toFixed(4)),
    llm_tokens: Number(rows.reduce((s, r) => s + r.llmTokens, 0n)),
    exports: rows.reduce((s, r) => s + r.exports, 0),
    peak_seats: rows.reduce((s, r) => Math.max(s, r.seats), 0),
  };
}

/**
 * Computes (or recomputes) the workspace's draft invoice for a month from its
 * plan history and metered usage, metering the month first. Refused when the
 * month already has an issued or paid invoice, or has not begun.
 */
export async function draftMonthlyInvoice(tenantId: string, month: string, actor: Actor | null) {
  const { periodStart, periodEnd } = monthPeriod(month);
  const today = singaporeDate(new Date());
  if (periodStart > today) throw new BillingError(`${month} has not started yet.`);
  const tenant = await platformDb.tenant.findUnique({ where: { id: tenantId }, select: { id: true, name: true, slug: true } });
  if (!tenant) throw new BillingError("No such tenant.");
  await meterUsage({ from: periodStart, to: periodEnd < today ? periodEnd : today, tenantIds: [tenantId] });
  const [periods, usage, plans] = await Promise.all([
    platformDb.tenantPlanPeriod.findMany({ where: { tenantId }, orderBy: { startedAt: "asc" } }),
    platformDb.tenantUsageDaily.findMany({ where: { tenantId, day: { gte: new Date(periodStart), lte: new Date(periodEnd) } } }),
    invoicePlans(),
  ]);
  let draft;
  try {
    draft = draftInvoice({
      month,
      spans: periods.map((p) => ({ fromDay: singaporeDate(p.startedAt), plan: p.plan })),
      usage: usage.map((u) => ({ day: u.day.toISOString().slice(0, 10), companiesEnriched: u.companiesEnriched })),
      plans,
    });
  } catch (error) {
    throw new BillingError(`The invoice cannot be computed: ${(error as Error).message}.`);
  }
  if (draft.lines.length === 0) throw new BillingError(`${tenant.name} did not exist in ${month}: there is nothing to bill.`);
  const figures = {
    currency: draft.currency,
    tenantName: tenant.name,
    tenantSlug: tenant.slug,
    subtotalCents: BigInt(draft.subtotalCents),
    taxLabel: GST.label,
    taxRateBp: GST.rateBp,
    taxCents: BigInt(draft.taxCents),
    totalCents: BigInt(draft.totalCents),
    usage: usageSummary(usage),
  };
  const lines = draft.lines.map((l, position) => ({ ...l, position, unitPriceCents: BigInt(l.unitPriceCents), amountCents: BigInt(l.amountCents) }));
  const invoice = await platformDb.$transaction(async (tx) => {
    const live = await tx.invoice.findFirst({ where: { tenantId, periodStart: new Date(periodStart), status: { not: "void" } } });
    if (live && live.status !== "draft")
      throw new BillingError(`${month} is already invoiced as ${live.number} (${live.status}). Void it first to bill the month again.`);
    if (live) {
      await tx.invoiceLine.deleteMany({ where: { tenantId, invoiceId: live.id } });
      return tx.invoice.update({ where: { tenantId_id: { tenantId, id: live.id } }, data: { ...figures, lines: { create: lines } } });
    }
    return tx.invoice.create({
      data: {
        tenantId,
        periodStart: new Date(periodStart),
        periodEnd: new Date(periodEnd),
        createdByEmail: actor?.email ?? null,
        ...figures,
        lines: { create: lines },
      },
    });
  });
  await recordAudit(tenantId, actor, "invoice.drafted", invoice.id, { month, totalCents: draft.totalCents });
  return invoice;
}

/** Drafts last month's invoice for every workspace that existed in it and has none issued (the monthly job). */
export async function draftInvoicesForMonth(month: string): Promise<{ drafted: number; skipped: number }> {
  const { periodEnd } = monthPeriod(month);
  const tenants = await platformDb.tenant.findMany({ where: { createdAt: { lt: new Date(`${periodEnd}T16:00:00Z`) } }, select: { id: true } });
  let drafted = 0;
  let skipped = 0;
  for (const { id } of tenants) {
    try {
      await draftMonthlyInvoice(id, month, null);
      drafted += 1;
    } catch (error) {
      if (!(error instanceof BillingError)) throw error;
      skipped += 1;
    }
  }
  return { drafted, skipped };
}

/** Runs a lifecycle step; the database's trigger is the judge, its refusal comes back as the reason. */
async function transition(tenantId: string, invoiceId: string, data: Prisma.InvoiceUpdateInput) {
  try {
    return await platformDb.invoice.update({ where: { tenantId_id: { tenantId, id: invoiceId } }, data });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") throw new BillingError("No such invoice.");
    const message = (error as Error).message;
    const refusal = /(invoice [^\n]*cannot[^\n]*|an invoice cannot go from \w+ to \w+|invoice lines add up to[^\n]*)/.exec(message);
    if (refusal?.[1]) {
      const reason = refusal[1].replace(/^invoice null/, "the invoice");
      throw new BillingError(`${reason[0]!.toUpperCase()}${reason.slice(1)}.`);
    }
    throw error;
  }
}

export async function issueInvoice(tenantId: string, invoiceId: string, actor: Actor) {
  const invoice = await transition(tenantId, invoiceId, { status: "issued", issuedByEmail: actor.email ?? actor.sub, issuer: env().INVOICE_ISSUER });
  await recordAudit(tenantId, actor, "invoice.issued", invoice.number, { invoiceId, totalCents: Number(invoice.totalCents) });
  return invoice;
}

export async function markInvoicePaid(tenantId: string, invoiceId: string, paymentReference: string, actor: Actor) {
  const invoice = await transition(tenantId, invoiceId, { status: "paid", paymentReference });
  await recordAudit(tenantId, actor, "invoice.paid", invoice.number, { invoiceId, paymentReference });
  return invoice;
}

export async function voidInvoice(tenantId: string, invoiceId: string, reason: string, actor: Actor) {
  const invoice = await transition(tenantId, invoiceId, { status: "void", voidReason: reason });
  await recordAudit(tenantId, actor, "invoice.voided", invoice.number, { invoiceId, reason });
  return invoice;
}

export async function deleteDraftInvoice(tenantId: string, invoiceId: string, actor: Actor) {
  const invoice = await platformDb.invoice.findUnique({ where: { tenantId_id: { tenantId, id: invoiceId } }, select: { status: true } });
  if (!invoice) throw new BillingError("No such invoice.");
  if (invoice.status !== "draft") throw new BillingError(`The invoice is ${invoice.status}: only drafts can be deleted. Void it instead.`);
  await platformDb.invoice.delete({ where: { tenantId_id: { tenantId, id: invoiceId } } });
  await recordAudit(tenantId, actor, "invoice.deleted", invoiceId);
}

export type InvoiceFilter = { status?: string; tenantId?: string; page: number };

/** Every workspace's invoices for the billing overview, newest period first. */
export async function listInvoices(filter: InvoiceFilter) {
  const where: Prisma.InvoiceWhereInput = { ...(filter.status ? { status: filter.status } : {}), ...(filter.tenantId ? { tenantId: filter.tenantId } : {}) };
  const [total, invoices] = await Promise.all([
    platformDb.invoice.count({ where }),
    platformDb.invoice.findMany({
      where,
      orderBy: [{ periodStart: "desc" }, { tenantName: "asc" }, { id: "asc" }],
      skip: (filter.page - 1) * INVOICES_PER_PAGE,
      take: INVOICES_PER_PAGE,
    }),
  ]);
  return { total, pages: Math.max(1, Math.ceil(total / INVOICES_PER_PAGE)), invoices: invoices.map(invoiceSummary) };
}

/** An invoice with its lines, for the printable page and the CSV; null when there is none. */
export async function invoiceWithLines(tenantId: string, invoiceId: string) {
  const invoice = await platformDb.invoice.findUnique({
    where: { tenantId_id: { tenantId, id: invoiceId } },
    include: { lines: { orderBy: { position: "asc" } } },
  });
  return invoice ? toInvoiceDocument(invoice) : null;
}

type InvoiceRow = Prisma.InvoiceGetPayload<object>;
type InvoiceWithLines = Prisma.InvoiceGetPayload<{ include: { lines: true } }>;

/** Cents as numbers for JSON: an invoice stays far below 2^53 cents. */
export function invoiceSummary(invoice: InvoiceRow) {
  return {
    id: invoice.id,
    tenantId: invoice.tenantId,
    tenantName: invoice.tenantName,
    tenantSlug: invoice.tenantSlug,
    number: invoice.number,
    status: invoice.status,
    periodStart: invoice.periodStart.toISOString().slice(0, 10),
    periodEnd: invoice.periodEnd.toISOString().slice(0, 10),
    currency: invoice.currency,
    subtotalCents: Number(invoice.subtotalCents),
    taxLabel: invoice.taxLabel,
    taxCents: Number(invoice.taxCents),
    totalCents: Number(invoice.totalCents),
    dueDate: invoice.dueDate?.toISOString().slice(0, 10) ?? null,
    issuedAt: invoice.issuedAt?.toISOString() ?? null,
    paidAt: invoice.paidAt?.toISOString() ?? null,
    voidedAt: invoice.voidedAt?.toISOString() ?? null,
    paymentReference: invoice.paymentReference,
    voidReason: invoice.voidReason,
  };
}

export function toInvoiceDocument(invoice: InvoiceWithLines) {
  return {
    ...invoiceSummary(invoice),
    usage: invoice.usage as Record<string, number>,
    // A draft names who will issue it; an issued invoice, who did.
    issuer: (invoice.issuer || env().INVOICE_ISSUER).split("|").map((line) => line.trim()),
    lines: invoice.lines.map((l) => ({
      position: l.position,
      kind: l.kind,
      description: l.description,
      quantity: l.quantity,
      unitPriceCents: Number(l.unitPriceCents),
      amountCents: Number(l.amountCents),
    })),
  };
}

export type InvoiceDocument = ReturnType<typeof toInvoiceDocument>;
