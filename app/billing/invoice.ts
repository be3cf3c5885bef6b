/**
 * A month's invoice from the plans a workspace was on and what it used: the
 * plan's monthly fee pro rata for the days on it, plus each company enriched
 * at that plan's price, then GST. Pure and browser-safe, so the draft, the
 * printable page and the CSV agree to the cent.
 */

/** Singapore's GST, charged on every invoice (9 % since 1 January 2024). */
export const GST = { label: "GST 9%", rateBp: 900 } as const;

export type InvoicePlan = { code: string; name: string; currency: string; monthlyPriceCents: number; pricePerCompanyCents: number };
/** From `day` (a Singapore date, YYYY-MM-DD) on, the workspace was on `plan`. */
export type PlanSpan = { fromDay: string; plan: string };
export type DailyCompanies = { day: string; companiesEnriched: number };

export type DraftLine = { kind: "subscription" | "usage"; description: string; quantity: number; unitPriceCents: number; amountCents: number };
export type DraftInvoice = { currency: string; lines: DraftLine[]; subtotalCents: number; taxCents: number; totalCents: number };

/** "2026-11" → the month's first and last day, its length and the next month's first day. Throws on anything else. */
export function monthPeriod(month: string): { periodStart: string; periodEnd: string; days: number; nextStart: string } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new Error(`not a month (YYYY-MM): ${month}`);
  const [year, monthIndex] = [Number(match[1]), Number(match[2])];
  const days = new Date(Date.UTC(year, monthIndex, 0)).getUTCDate();
  const nextStart = monthIndex === 12 ? `${year + 1}-01-01` : `${year}-${String(monthIndex + 1).padStart(2, "0")}-01`;
  return { periodStart: `${month}-01`, periodEnd: `${month}-${String(days).padStart(2, "0")}`, days, nextStart };
}

/** The month before the Singapore date `day`, as YYYY-MM. */
export function previousMonth(day: string): string {
  const [year, month] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
}

function daysOf(periodStart: string, count: number): string[] {
  const first = Date.parse(`${periodStart}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

/** The plan in effect on each day of the month (null before the workspace existed). */
function planByDay(days: string[], spans: readonly PlanSpan[]): (string | null)[] {
  const sorted = [...spans].sort((a, b) => a.fromDay.localeCompare(b.fromDay));
  return days.map((day) => sorted.filter((s) => s.fromDay <= day).at(-1)?.plan ?? null);
}

type Stretch = { plan: string; first: string; last: string; days: number; companies: number };

/** Consecutive days on one plan, with the companies enriched in them. */
function stretches(days: string[], plans: (string | null)[], companies: Map<string, number>): Stretch[] {
  const out: Stretch[] = [];
  days.forEach((day, i) => {
    const plan = plans[i];
    if (plan === null || plan === undefined) return;
    const last = out.at(-1);
    if (last && last.plan === plan && plans[i - 1] === plan) {
      last.last = day;
      last.days += 1;
      last.companies += companies.get(day) ?? 0;
    } else {
      out.push({ plan, first: day, last: day, days: 1, companies: companies.get(day) ?? 0 });
    }
  });
  return out;
}

const dayMonth = new Intl.DateTimeFormat("en-SG", { day: "numeric", month: "short", timeZone: "UTC" });
const monthYear = new Intl.DateTimeFormat("en-SG", { month: "long", year: "numeric", timeZone: "UTC" });

function span(first: string, last: string): string {
  const [a, b] = [dayMonth.format(new Date(`${first}T00:00:00Z`)), dayMonth.format(new Date(`${last}T00:00:00Z`))];
  return a === b ? a : `${a} – ${b}`;
}

/** "SGD 0.15": an invoice names its currency, and per-company prices are fractions of a dollar. */
export function formatCents(cents: number | bigint, currency: string): string {
  return new Intl.NumberFormat("en-SG", { style: "currency", currency, currencyDisplay: "code", minimumFractionDigits: 2, maximumFractionDigits: 2 })
    .format(Number(cents) / 100)
    .replace(/\u00a0/g, " ");
}

/** The draft's lines and totals; the caller stores them. Throws when the month's plans are priced in different currencies. */
export function draftInvoice(input: {
  month: string;
  spans: readonly PlanSpan[];
  plans: ReadonlyMap<string, InvoicePlan>;
  usage: readonly DailyCompanies[];
}): DraftInvoice {
  const { periodStart, days: monthDays } = monthPeriod(input.month);
  const days = daysOf(periodStart, monthDays);
  const companies = new Map(input.usage.map((u) => [u.day, u.companiesEnriched]));
  const lines: DraftLine[] = [];
  const currencies = new Set<string>();
  for (const stretch of stretches(days, planByDay(days, input.spans), companies)) {
    const plan = input.plans.get(stretch.plan);
    if (!plan) throw new Error(`plan ${stretch.plan} is not in the catalogue`);
    currencies.add(plan.currency);
    const whole = stretch.days === monthDays;
    const when = whole ? monthYear.format(new Date(`${periodStart}T00:00:00Z`)) : `${span(stretch.first, stretch.last)} (${stretch.days} of ${monthDays} days)`;
    lines.push({
      kind: "subscription",
      description: `${plan.name} plan, ${when}`,
      quantity: whole ? 1 : Number((stretch.days / monthDays).toFixed(4)),
      unitPriceCents: plan.monthlyPriceCents,
      amountCents: Math.round((plan.monthlyPriceCents * stretch.days) / monthDays),
    });
    if (stretch.companies > 0 && plan.pricePerCompanyCents > 0) {
      lines.push({
        kind: "usage",
        description: `Companies enriched on the ${plan.name} plan, ${span(stretch.first, stretch.last)}`,
        quantity: stretch.companies,
        unitPriceCents: plan.pricePerCompanyCents,
        amountCents: stretch.companies * plan.pricePerCompanyCents,
      });
    }
  }
  if (currencies.size > 1) throw new Error(`the month's plans are priced in different currencies: ${[...currencies].join(", ")}`);
  const subtotalCents = lines.reduce((sum, l) => sum + l.amountCents, 0);
  const taxCents = Math.round((subtotalCents * GST.rateBp) / 10_000);
  return { currency: [...currencies][0] ?? "SGD", lines, subtotalCents, taxCents, totalCents: subtotalCents + taxCents };
}

export const INVOICE_STATUSES = ["draft", "issued", "paid", "void"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** What may happen to an invoice next, mirroring the database's trigger. */
export function nextInvoiceActions(status: string): ("issue" | "delete" | "pay" | "void")[] {
  if (status === "draft") return ["issue", "delete"];
  if (status === "issued") return ["pay", "void"];
  return [];
}

export type InvoiceCsvInput = {
  number: string | null;
  status: string;
  tenantSlug: string;
  periodStart: string;
  periodEnd: string;
  currency: string;
  subtotalCents: number;
  taxLabel: string;
  taxCents: number;
  totalCents: number;
  lines: Array<{ kind: string; description: string; quantity: number; unitPriceCents: number; amountCents: number }>;
};

const CSV_HEADER = ["invoice", "status", "tenant", "period_start", "period_end", "line", "kind", "description", "quantity", "unit_price", "amount", "currency"];

/** The invoice as rows an accounting system imports: one per line, then subtotal, tax and total, amounts in currency units. */
export function invoiceCsvRows(invoice: InvoiceCsvInput): (string | number)[][] {
  const units = (cents: number) => (cents / 100).toFixed(2);
  const head = [invoice.number ?? "draft", invoice.status, invoice.tenantSlug, invoice.periodStart, invoice.periodEnd];
  return [
    CSV_HEADER,
    ...invoice.lines.map((l, i) => [...head, i + 1, l.kind, l.description, l.quantity, units(l.unitPriceCents), units(l.amountCents), invoice.currency]),
    [...head, "", "subtotal", "Subtotal", "", "", units(invoice.subtotalCents), invoice.currency],
    [...head, "", "tax", invoice.taxLabel, "", "", units(invoice.taxCents), invoice.currency],
    [...head, "", "total", "Total", "", "", units(invoice.totalCents), invoice.currency],
  ];
}
