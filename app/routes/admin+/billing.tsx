import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { BILLING_ROLES } from "~/auth/roles";
import { BillingNotice, InvoiceTable, planChangeColumns, type PlanChangeRow } from "~/billing/billing-ui";
import { FEATURE_KEYS, FEATURES, type FeatureKey } from "~/billing/entitlements";
import { formatCents, INVOICE_STATUSES, monthPeriod, previousMonth } from "~/billing/invoice";
import { BillingError, draftInvoicesForMonth, listInvoices } from "~/billing/invoices.server";
import { decidePlanChange, listPlanChangeRequests, withdrawPlanChange } from "~/billing/plan-changes.server";
import { PlanForm, savePlan } from "~/billing/plans.server";
import { QUOTA_KEYS, QUOTAS } from "~/billing/quotas";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/forms";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { pageParam, Pagination } from "~/components/ui/pagination";
import { platformDb } from "~/db.server";
import { listTenantPlans } from "~/tenants/admin.server";
import { formatDate } from "~/utils/date-format";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * Billing & subscriptions (seed 004 billing_overview): the plans and their
 * quotas, plan changes waiting for an owner, every workspace's invoices and
 * the tenants' plans. Finance drafts invoices and proposes plan changes; the
 * platform owner approves changes and issues, marks and voids invoices.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, BILLING_ROLES);
  const url = new URL(request.url);
  const status = INVOICE_STATUSES.find((s) => s === url.searchParams.get("status")) ?? null;
  const page = pageParam(url);
  const invoicePage = pageParam(url, "ipage");
  const [tenants, invoices, planChanges, plans, outstanding] = await Promise.all([
    listTenantPlans(page),
    listInvoices({ status: status ?? undefined, page: invoicePage }),
    listPlanChangeRequests({ take: 20 }),
    platformDb.plan.findMany({ orderBy: { sortOrder: "asc" } }),
    platformDb.invoice.groupBy({ by: ["status", "currency"], _sum: { totalCents: true }, _count: { _all: true } }),
  ]);
  if (page > tenants.pages || invoicePage > invoices.pages) {
    url.searchParams.set("page", String(Math.min(page, tenants.pages)));
    url.searchParams.set("ipage", String(Math.min(invoicePage, invoices.pages)));
    throw redirect(`${url.pathname}?${url.searchParams}`);
  }
  return {
    tenants,
    page,
    invoices,
    invoicePage,
    status,
    planChanges,
    plans: plans.map((p) => ({ ...p, createdAt: undefined, updatedAt: undefined })),
    totals: outstanding.map((o) => ({ status: o.status, currency: o.currency, count: o._count._all, totalCents: Number(o._sum.totalCents ?? 0n) })),
    lastMonth: previousMonth(singaporeDate(new Date())),
    isOwner: viewer.roles.includes("platform_owner"),
    viewerSub: viewer.sub,
  };
}

const DraftAll = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Give a month as YYYY-MM") });
const Decide = z.object({ tenantId: z.uuid(), requestId: z.uuid(), note: z.string().trim().max(500).optional() });

type ActionResult = { ok: boolean; message: string; errors?: Record<string, string[]> };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const viewer = await requirePlatformUser(request, BILLING_ROLES);
  const actor = { sub: viewer.sub, email: viewer.email };
  const form = Object.fromEntries(await request.formData());
  try {
    if (form.intent === "save_plan") {
      requireRole(request, viewer, ["platform_owner"]);
      const parsed = PlanForm.safeParse(form);
      if (!parsed.success) return { ok: false, message: "Check the plan's fields.", errors: z.flattenError(parsed.error).fieldErrors };
      const plan = await savePlan(parsed.data, actor);
      return { ok: true, message: `Plan ${plan.name} saved: its prices and quotas apply from now.` };
    }
    if (form.intent === "draft_month") {
      const parsed = DraftAll.safeParse(form);
      if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Give a month" };
      monthPeriod(parsed.data.month);
      const result = await draftInvoicesForMonth(parsed.data.month);
      return {
        ok: true,
        message: `${result.drafted} draft invoices computed for ${parsed.data.month}; ${result.skipped} workspaces skipped (already issued or not yet there).`,
      };
    }
    const parsed = Decide.safeParse(form);
    if (!parsed.success) return { ok: false, message: "Unknown plan change request." };
    if (form.intent === "approve" || form.intent === "reject") {
      requireRole(request, viewer, ["platform_owner"]);
      await decidePlanChange({ ...parsed.data, note: parsed.data.note || null, approve: form.intent === "approve", actor });
      return { ok: true, message: form.intent === "approve" ? "Plan change approved: the workspace is on its new plan." : "Plan change rejected." };
    }
    if (form.intent === "withdraw") {
      const request_ = await platformDb.planChangeRequest.findUnique({ where: { tenantId_id: { tenantId: parsed.data.tenantId, id: parsed.data.requestId } } });
      if (request_ && request_.proposedBySub !== viewer.sub) requireRole(request, viewer, ["platform_owner"]);
      await withdrawPlanChange({ ...parsed.data, actor });
      return { ok: true, message: "Proposal withdrawn." };
    }
  } catch (error) {
    if (error instanceof BillingError) return { ok: false, message: error.message };
    throw error;
  }
  throw new Response("Unknown action", { status: 400 });
}

type Data = SerializeFrom<typeof loader>;

export default function Billing() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title="Billing" description={data.tenants.plans.map((p) => `${p.tenants} on ${p.plan}`).join(" · ") || "No tenants yet"}>
      <BillingNotice result={result} />
      <Totals totals={data.totals} />
      <PlanChanges requests={data.planChanges} isOwner={data.isOwner} viewerSub={data.viewerSub} />
      <Invoices data={data} />
      <Plans plans={data.plans} />
      {data.isOwner ? <PlanEditor plans={data.plans} errors={result?.errors} /> : null}
      <Tenants data={data} />
    </Page>
  );
}

function Totals({ totals }: { totals: Data["totals"] }) {
  const figure = (status: string) => totals.filter((t) => t.status === status);
  return (
    <dl className="mb-6 grid grid-cols-1 gap-3 sm:grid-cols-3">
      {[
        ["Drafts to review", "draft"],
        ["Issued, awaiting payment", "issued"],
        ["Paid", "paid"],
      ].map(([label, status]) => (
        <div key={status} className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-500">{label}</dt>
          <dd className="mt-1 text-lg font-semibold text-slate-900">
            {figure(status!).length === 0
              ? "0"
              : figure(status!)
                  .map((t) => `${t.count} · ${formatCents(t.totalCents, t.currency)}`)
                  .join(", ")}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function PlanChanges({ requests, isOwner, viewerSub }: { requests: PlanChangeRow[] & Array<{ proposedBySub: string }>; isOwner: boolean; viewerSub: string }) {
  const busy = useNavigation().state === "submitting";
  const actions = (r: PlanChangeRow & { proposedBySub?: string }) =>
    r.status !== "proposed" ? null : (
      <span className="flex flex-wrap gap-2">
        {isOwner ? (
          <>
            <Form method="post">
              <input type="hidden" name="tenantId" value={r.tenantId} />
              <input type="hidden" name="requestId" value={r.id} />
              <Button type="submit" name="intent" value="approve" disabled={busy} aria-label={`Approve ${r.fromPlan} → ${r.toPlan} for ${r.tenantName}`}>
                Approve
              </Button>
            </Form>
            <Form method="post">
              <input type="hidden" name="tenantId" value={r.tenantId} />
              <input type="hidden" name="requestId" value={r.id} />
              <Button
                type="submit"
                name="intent"
                value="reject"
                variant="secondary"
                disabled={busy}
                aria-label={`Reject ${r.fromPlan} → ${r.toPlan} for ${r.tenantName}`}
              >
                Reject
              </Button>
            </Form>
          </>
        ) : null}
        {isOwner || r.proposedBySub === viewerSub ? (
          <Form method="post">
            <input type="hidden" name="tenantId" value={r.tenantId} />
            <input type="hidden" name="requestId" value={r.id} />
            <Button type="submit" name="intent" value="withdraw" variant="secondary" disabled={busy}>
              Withdraw
            </Button>
          </Form>
        ) : null}
      </span>
    );
  return (
    <section aria-labelledby="plan-changes" className="mb-8">
      <h2 id="plan-changes" className="mb-2 text-base font-semibold text-slate-900">
        Plan changes
      </h2>
      {requests.length === 0 ? (
        <EmptyState title="No plan changes proposed">Finance proposes a change from a tenant's billing page; a platform owner approves it here.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <DataTable
            variant="card"
            columns={planChangeColumns(true, actions)}
            rows={requests}
            rowKey={(r) => r.id}
            caption="Plan change requests, open first"
          />
        </div>
      )}
    </section>
  );
}

function Invoices({ data }: { data: Data }) {
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const statusHref = (status: string | null) => {
    const next = new URLSearchParams(params);
    if (status) next.set("status", status);
    else next.delete("status");
    next.delete("ipage");
    return `?${next}`;
  };
  return (
    <section aria-labelledby="invoices" className="mb-8">
      <div className="mb-2 flex flex-wrap items-end justify-between gap-3">
        <h2 id="invoices" className="text-base font-semibold text-slate-900">
          Invoices
        </h2>
        <Form method="post" className="flex items-end gap-2">
          <Field label="Month" inputProps={{ name: "month", defaultValue: data.lastMonth, pattern: "\\d{4}-\\d{2}", required: true, className: "w-28" }} />
          <Button type="submit" name="intent" value="draft_month" variant="secondary" disabled={busy}>
            Draft every tenant's invoice
          </Button>
        </Form>
      </div>
      <nav aria-label="Invoice status" className="mb-2 flex flex-wrap gap-2 text-sm">
        {[null, ...INVOICE_STATUSES].map((s) => (
          <Link
            key={s ?? "all"}
            to={statusHref(s)}
            aria-current={data.status === s ? "page" : undefined}
            className={`rounded-md px-2 py-1 ${data.status === s ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600 hover:text-slate-900"}`}
          >
            {s ?? "all"}
          </Link>
        ))}
      </nav>
      {data.invoices.invoices.length === 0 ? (
        <EmptyState title={data.status ? `No ${data.status} invoices` : "No invoices yet"}>
          Invoices are drafted on the 1st for the month before; draft them now with the button above.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <InvoiceTable
            invoices={data.invoices.invoices}
            showTenant
            hrefFor={(i) => `/admin/billing/invoices/${i.tenantId}/${i.id}`}
            caption={`${data.invoices.total} invoices${data.status ? ` (${data.status})` : ""}`}
          />
        </div>
      )}
      <Pagination page={data.invoicePage} pages={data.invoices.pages} param="ipage" />
    </section>
  );
}

type PlanRow = Data["plans"][number];

function Plans({ plans }: { plans: PlanRow[] }) {
  const columns: DataColumn<PlanRow>[] = [
    {
      header: "Plan",
      rowHeader: true,
      cell: (p) => (
        <span>
          {p.name}
          {p.active ? null : (
            <span className="ml-2">
              <Badge>inactive</Badge>
            </span>
          )}
        </span>
      ),
    },
    { header: "Monthly", align: "right", cell: (p) => formatCents(p.monthlyPriceCents, p.currency) },
    { header: "Per company", align: "right", cell: (p) => formatCents(p.pricePerCompanyCents, p.currency) },
    ...QUOTA_KEYS.map((key) => ({ header: QUOTAS[key].label, align: "right" as const, cell: (p: PlanRow) => (p[key] === null ? "unlimited" : p[key]) })),
    {
      header: "Includes",
      cellClassName: "text-slate-700",
      cell: (p) => (p.features.length ? p.features.map((f) => FEATURES[f as FeatureKey] ?? f).join("; ") : "none of the extras"),
    },
  ];
  return (
    <section aria-labelledby="plans" className="mb-8">
      <h2 id="plans" className="mb-2 text-base font-semibold text-slate-900">
        Plans and quotas
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <DataTable variant="card" columns={columns} rows={plans} rowKey={(p) => p.code} caption="Plans, prices and quotas" />
      </div>
    </section>
  );
}

/** The owner's plan form: a new code creates a plan, an existing one changes it. */
function PlanEditor({ plans, errors }: { plans: PlanRow[]; errors?: Record<string, string[]> }) {
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const basis = plans.find((p) => p.code === params.get("plan"));
  const units = (cents: number) => (cents / 100).toFixed(2);
  return (
    <section aria-labelledby="plan-editor" className="mb-8 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="plan-editor" className="text-base font-semibold text-slate-900">
        {basis ? `Change the ${basis.name} plan` : "New plan"}
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {basis ? "New prices and quotas apply from now; issued invoices keep theirs." : "Or pick a plan to change: "}
        {plans.map((p) => (
          <Link key={p.code} to={`?plan=${p.code}#plan-editor`} className="mr-2 text-brand-700 hover:underline">
            {p.name}
          </Link>
        ))}
      </p>
      <Form method="post" key={basis?.code ?? "new"} className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field label="Code" errors={errors?.code} inputProps={{ name: "code", required: true, defaultValue: basis?.code, readOnly: Boolean(basis) }} />
        <Field label="Name" errors={errors?.name} inputProps={{ name: "name", required: true, defaultValue: basis?.name }} />
        <Field
          label="Monthly price (SGD)"
          errors={errors?.monthlyPrice}
          inputProps={{ name: "monthlyPrice", required: true, inputMode: "decimal", defaultValue: basis ? units(basis.monthlyPriceCents) : "" }}
        />
        <Field
          label="Price per company (SGD)"
          errors={errors?.pricePerCompany}
          inputProps={{ name: "pricePerCompany", required: true, inputMode: "decimal", defaultValue: basis ? units(basis.pricePerCompanyCents) : "0.00" }}
        />
        {QUOTA_KEYS.map((key) => (
          <Field
            key={key}
            label={`${QUOTAS[key].label[0]!.toUpperCase()}${QUOTAS[key].label.slice(1)}`}
            help="Blank is unlimited"
            errors={errors?.[key]}
            inputProps={{ name: key, inputMode: "numeric", defaultValue: basis ? (basis[key] ?? "") : "" }}
          />
        ))}
        <Field
          label="Description"
          className="sm:col-span-2"
          errors={errors?.description}
          inputProps={{ name: "description", defaultValue: basis?.description }}
        />
        <fieldset className="sm:col-span-2">
          <legend className="text-sm font-medium text-slate-700">Includes</legend>
          {FEATURE_KEYS.map((key) => (
            <label key={key} className="mt-1 flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name={`feature_${key}`} defaultChecked={basis?.features.includes(key) ?? false} /> {FEATURES[key][0]!.toUpperCase()}
              {FEATURES[key].slice(1)}
            </label>
          ))}
        </fieldset>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="active" defaultChecked={basis?.active ?? true} /> Offered to new and existing tenants
        </label>
        <div className="flex items-end">
          <Button type="submit" name="intent" value="save_plan" disabled={busy}>
            Save plan
          </Button>
        </div>
      </Form>
    </section>
  );
}

type TenantRow = Data["tenants"]["tenants"][number];

const tenantColumns: DataColumn<TenantRow>[] = [
  {
    header: "Tenant",
    cell: (t) => (
      <>
        <Link to={`/admin/billing/tenants/${t.id}`} className="font-medium text-brand-700 hover:underline">
          {t.name}
        </Link>
        <div className="text-xs text-slate-500">{t.slug}</div>
      </>
    ),
  },
  { header: "Plan", cellClassName: "text-slate-700", cell: (t) => t.plan },
  { header: "Status", cell: (t) => <Badge tone={statusTone(t.status)}>{t.status}</Badge> },
  { header: "Customer since", cellClassName: "text-slate-700", cell: (t) => formatDate(t.createdAt) },
];

function Tenants({ data }: { data: Data }) {
  return (
    <section aria-labelledby="tenant-plans">
      <h2 id="tenant-plans" className="mb-2 text-base font-semibold text-slate-900">
        Tenants
      </h2>
      {data.tenants.tenants.length === 0 ? (
        <EmptyState title="No tenants yet">A workspace appears here as soon as its first user signs in.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <DataTable
            variant="card"
            columns={tenantColumns}
            rows={data.tenants.tenants}
            rowKey={(t) => t.id}
            caption={`Plans of ${data.tenants.total} tenants`}
          />
        </div>
      )}
      <Pagination page={data.page} pages={data.tenants.pages} />
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Billing · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
