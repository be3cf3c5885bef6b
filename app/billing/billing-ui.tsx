import { Link } from "@remix-run/react";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { formatDate, formatDay, formatWhen } from "~/utils/date-format";
import { formatCount, formatUsd } from "~/utils/number-format";
import { formatCents, type InvoiceCsvInput } from "./invoice";

/** Invoices, usage and plan changes as the control plane and the tenant portal show them. Browser-safe. */

/** What a billing action did, or why it was refused. */
export function BillingNotice({ result }: { result: { ok: boolean; message: string } | undefined }) {
  if (!result) return null;
  return (
    <p
      role={result.ok ? "status" : "alert"}
      className={`mb-4 rounded-md p-3 text-sm print:hidden ${result.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-800"}`}
    >
      {result.message}
    </p>
  );
}

const INVOICE_TONES: Record<string, BadgeTone> = { draft: "gray", issued: "amber", paid: "green", void: "red" };

export function InvoiceStatusBadge({ status }: { status: string }) {
  return <Badge tone={INVOICE_TONES[status] ?? "gray"}>{status}</Badge>;
}

export type InvoiceRow = {
  id: string;
  tenantId: string;
  tenantName: string;
  number: string | null;
  status: string;
  periodStart: string;
  periodEnd: string;
  currency: string;
  totalCents: number;
  dueDate: string | null;
  issuedAt: string | null;
  paidAt: string | null;
};

const periodMonth = new Intl.DateTimeFormat("en-SG", { month: "long", year: "numeric", timeZone: "UTC" });

export function formatPeriod(periodStart: string): string {
  return periodMonth.format(new Date(`${periodStart}T00:00:00Z`));
}

export function InvoiceTable({
  invoices,
  hrefFor,
  showTenant,
  caption,
}: {
  invoices: InvoiceRow[];
  hrefFor: (i: InvoiceRow) => string;
  showTenant: boolean;
  caption: string;
}) {
  const columns: DataColumn<InvoiceRow>[] = [
    {
      header: "Invoice",
      cell: (i) => (
        <Link to={hrefFor(i)} className="font-medium text-brand-700 hover:underline">
          {i.number ?? `Draft for ${formatPeriod(i.periodStart)}`}
        </Link>
      ),
    },
    ...(showTenant ? [{ header: "Tenant", cellClassName: "text-slate-700", cell: (i: InvoiceRow) => i.tenantName }] : []),
    { header: "Period", cellClassName: "text-slate-700", cell: (i) => formatPeriod(i.periodStart) },
    { header: "Status", cell: (i) => <InvoiceStatusBadge status={i.status} /> },
    { header: "Total", align: "right", cell: (i) => formatCents(i.totalCents, i.currency) },
    {
      header: "Due / paid",
      cellClassName: "text-slate-700",
      cell: (i) => (i.paidAt ? `paid ${formatDate(i.paidAt)}` : i.dueDate && i.status === "issued" ? `due ${formatDay(i.dueDate)}` : "—"),
    },
  ];
  return <DataTable variant="card" columns={columns} rows={invoices} rowKey={(i) => i.id} caption={caption} />;
}

export type InvoiceDocumentProps = Omit<InvoiceCsvInput, "lines"> & {
  tenantName: string;
  dueDate: string | null;
  issuedAt: string | null;
  paidAt: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  paymentReference: string | null;
  usage: Record<string, number>;
  issuer: string[];
  lines: Array<InvoiceCsvInput["lines"][number] & { position: number }>;
};

const USAGE_LABELS: Record<string, string> = {
  runs: "Runs",
  companies_enriched: "Companies enriched",
  vendor_calls: "Data vendor calls",
  llm_tokens: "LLM tokens",
  exports: "CSV exports",
  peak_seats: "Seats (peak)",
};

/** The invoice as a document: readable on screen, and printed without the app's chrome (print: classes). */
export function InvoiceDocument({ invoice }: { invoice: InvoiceDocumentProps }) {
  const money = (cents: number) => formatCents(cents, invoice.currency);
  return (
    <article aria-label="Invoice" className="rounded-lg border border-slate-200 bg-white p-6 print:border-0 print:p-0">
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 pb-4">
        <div>
          <p className="text-xs uppercase tracking-wide text-slate-500">{invoice.status === "draft" ? "Draft invoice" : "Tax invoice"}</p>
          <h2 className="text-xl font-semibold text-slate-900">{invoice.number ?? "Not yet issued"}</h2>
          <address className="text-sm not-italic text-slate-600">
            {invoice.issuer.map((line) => (
              <span key={line} className="block">
                {line}
              </span>
            ))}
          </address>
        </div>
        <dl className="grid grid-cols-[auto_auto] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Billed to</dt>
          <dd className="text-slate-900">
            {invoice.tenantName} ({invoice.tenantSlug})
          </dd>
          <dt className="text-slate-500">Period</dt>
          <dd className="text-slate-900">
            {formatDay(invoice.periodStart)} – {formatDay(invoice.periodEnd)}
          </dd>
          <dt className="text-slate-500">Issued</dt>
          <dd className="text-slate-900">{invoice.issuedAt ? formatDate(invoice.issuedAt) : "—"}</dd>
          <dt className="text-slate-500">Due</dt>
          <dd className="text-slate-900">{invoice.dueDate ? formatDay(invoice.dueDate) : "—"}</dd>
          <dt className="text-slate-500">Status</dt>
          <dd>
            <InvoiceStatusBadge status={invoice.status} />
          </dd>
        </dl>
      </header>
      <table className="mt-4 w-full text-sm">
        <caption className="sr-only">Invoice lines</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
            <th scope="col" className="py-2 pr-2">
              Description
            </th>
            <th scope="col" className="py-2 pr-2 text-right">
              Quantity
            </th>
            <th scope="col" className="py-2 pr-2 text-right">
              Unit price
            </th>
            <th scope="col" className="py-2 text-right">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((line) => (
            <tr key={line.position} className="border-b border-slate-100">
              <td className="py-2 pr-2 text-slate-900">{line.description}</td>
              <td className="py-2 pr-2 text-right tabular-nums">{line.kind === "usage" ? formatCount(line.quantity) : line.quantity}</td>
              <td className="py-2 pr-2 text-right tabular-nums">{money(line.unitPriceCents)}</td>
              <td className="py-2 text-right tabular-nums">{money(line.amountCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="text-slate-900">
          <tr>
            <th scope="row" colSpan={3} className="pt-3 pr-2 text-right font-normal">
              Subtotal
            </th>
            <td className="pt-3 text-right tabular-nums">{money(invoice.subtotalCents)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={3} className="pr-2 text-right font-normal">
              {invoice.taxLabel}
            </th>
            <td className="text-right tabular-nums">{money(invoice.taxCents)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={3} className="pr-2 text-right font-semibold">
              Total
            </th>
            <td className="text-right font-semibold tabular-nums">{money(invoice.totalCents)}</td>
          </tr>
        </tfoot>
      </table>
      {invoice.status === "paid" ? (
        <p className="mt-4 text-sm text-emerald-800">
          Paid {formatDate(invoice.paidAt)}
          {invoice.paymentReference ? `, reference ${invoice.paymentReference}` : ""}.
        </p>
      ) : null}
      {invoice.status === "void" ? (
        <p className="mt-4 text-sm text-red-800">
          Voided {formatDate(invoice.voidedAt)}: {invoice.voidReason}
        </p>
      ) : null}
      <section aria-label="Usage in the period" className="mt-6">
        <h3 className="text-sm font-medium text-slate-900">Usage in the period</h3>
        <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
          {Object.entries(USAGE_LABELS).map(([key, label]) => (
            <div key={key} className="flex justify-between gap-2">
              <dt className="text-slate-500">{label}</dt>
              <dd className="tabular-nums text-slate-900">{formatCount(invoice.usage[key] ?? 0)}</dd>
            </div>
          ))}
        </dl>
      </section>
    </article>
  );
}

export type QuotaLine = { key: string; label: string; period: string | null; limit: number | null; used: number };

/** Each quota of the plan against what is used of it now, as the enforcement counts it. */
export function QuotaTable({ quotas, planName }: { quotas: QuotaLine[]; planName: string }) {
  const columns: DataColumn<QuotaLine>[] = [
    { header: "Quota", rowHeader: true, cell: (q) => `${q.label[0]!.toUpperCase()}${q.label.slice(1)}` },
    { header: "Used", align: "right", cell: (q) => `${formatCount(q.used)}${q.period ? ` ${q.period}` : ""}` },
    { header: "Plan allows", align: "right", cell: (q) => (q.limit === null ? "unlimited" : formatCount(q.limit)) },
    {
      header: "Left",
      align: "right",
      cell: (q) => (q.limit === null ? "—" : q.used >= q.limit ? <Badge tone="red">none left</Badge> : formatCount(q.limit - q.used)),
    },
  ];
  return <DataTable variant="card" columns={columns} rows={quotas} rowKey={(q) => q.key} caption={`Usage against the ${planName} plan's quotas`} />;
}

export type UsageDay = {
  day: string;
  runs: number;
  companiesEnriched: number;
  vendorCalls: number;
  vendorCostUsd: number;
  llmTokens: number;
  exports: number;
  seats: number;
};

/** This month's metered usage, a row per day with activity. */
export function UsageDays({ days }: { days: UsageDay[] }) {
  const active = days.filter((d) => d.runs || d.companiesEnriched || d.vendorCalls || d.llmTokens || d.exports);
  if (active.length === 0)
    return <EmptyState title="No usage metered this month yet">Runs, enrichment, vendor calls and exports appear here by day.</EmptyState>;
  const columns: DataColumn<UsageDay>[] = [
    { header: "Day", cell: (d) => formatDay(d.day) },
    { header: "Runs", align: "right", cell: (d) => formatCount(d.runs) },
    { header: "Companies", align: "right", cell: (d) => formatCount(d.companiesEnriched) },
    { header: "Vendor calls", align: "right", cell: (d) => formatCount(d.vendorCalls) },
    { header: "Vendor cost", align: "right", cell: (d) => formatUsd(d.vendorCostUsd) },
    { header: "LLM tokens", align: "right", cell: (d) => formatCount(d.llmTokens) },
    { header: "Exports", align: "right", cell: (d) => formatCount(d.exports) },
  ];
  return <DataTable variant="card" columns={columns} rows={active} rowKey={(d) => d.day} caption="Usage by day this month" />;
}

export type PlanChangeRow = {
  id: string;
  tenantId: string;
  tenantName: string;
  fromPlan: string;
  toPlan: string;
  reason: string;
  status: string;
  proposedByEmail: string | null;
  decidedByEmail: string | null;
  decisionNote: string | null;
  createdAt: string;
  decidedAt: string | null;
};

const CHANGE_TONES: Record<string, BadgeTone> = { proposed: "amber", approved: "green", rejected: "red", withdrawn: "gray" };

export function planChangeColumns(showTenant: boolean, actions: (r: PlanChangeRow) => React.ReactNode): DataColumn<PlanChangeRow>[] {
  return [
    ...(showTenant
      ? [
          {
            header: "Tenant",
            cell: (r: PlanChangeRow) => (
              <Link to={`/admin/billing/tenants/${r.tenantId}`} className="font-medium text-brand-700 hover:underline">
                {r.tenantName}
              </Link>
            ),
          },
        ]
      : []),
    { header: "Change", cell: (r) => `${r.fromPlan} → ${r.toPlan}` },
    { header: "Reason", cellClassName: "text-slate-700", cell: (r) => r.reason },
    { header: "Proposed", cellClassName: "text-slate-700", cell: (r) => `${r.proposedByEmail ?? "—"}, ${formatWhen(r.createdAt)}` },
    {
      header: "Status",
      cell: (r) => (
        <span>
          <Badge tone={CHANGE_TONES[r.status] ?? "gray"}>{r.status}</Badge>
          {r.decidedByEmail ? (
            <span className="ml-2 text-xs text-slate-500">
              by {r.decidedByEmail}
              {r.decisionNote ? `: ${r.decisionNote}` : ""}
            </span>
          ) : null}
        </span>
      ),
    },
    { header: <span className="sr-only">Actions</span>, cell: actions },
  ];
}
