import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { BILLING_ROLES } from "~/auth/roles";
import { BillingNotice, InvoiceTable, planChangeColumns, QuotaTable, UsageDays } from "~/billing/billing-ui";
import { formatCents, previousMonth } from "~/billing/invoice";
import { BillingError, draftMonthlyInvoice } from "~/billing/invoices.server";
import { changePlanNow, decidePlanChange, proposePlanChange, withdrawPlanChange } from "~/billing/plan-changes.server";
import { tenantBilling } from "~/billing/tenant-billing.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, SelectField, TextareaField } from "~/components/forms";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { platformDb } from "~/db.server";
import { formatDay, formatWhen } from "~/utils/date-format";
import { formatCount, formatUsd } from "~/utils/number-format";
import { singaporeDate } from "~/utils/singapore-time";

/** Who reads a tenant's billing: the owners and finance, and operators (who change nothing in it). */
const BILLING_VIEW_ROLES = [...BILLING_ROLES, "platform_operator"] as const;

/**
 * One tenant's billing (seed 004 tenant_billing_panel): its plan, this
 * month's metered usage, its invoices and plan changes. Finance drafts
 * invoices and proposes plan changes; an owner changes the plan at once or
 * approves a proposal.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, BILLING_VIEW_ROLES);
  const billing = z.uuid().safeParse(params.id).success ? await tenantBilling(params.id!) : null;
  if (!billing) throw new Response("No such tenant", { status: 404 });
  return {
    ...billing,
    lastMonth: previousMonth(singaporeDate(new Date())),
    thisMonth: singaporeDate(new Date()).slice(0, 7),
    can: { bill: viewer.roles.some((r) => (BILLING_ROLES as readonly string[]).includes(r)), own: viewer.roles.includes("platform_owner") },
    viewerSub: viewer.sub,
  };
}

const Month = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Give a month as YYYY-MM") });
const PlanChange = z.object({ toPlan: z.string().min(1, "Choose a plan"), reason: z.string().trim().min(3, "Say why, in a few words").max(500) });
const Decision = z.object({ requestId: z.uuid(), note: z.string().trim().max(500).optional() });

type ActionResult = { ok: boolean; message: string; errors?: Record<string, string[]> };

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const viewer = await requirePlatformUser(request, BILLING_ROLES);
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new Response("No such tenant", { status: 404 });
  const tenantId = id.data;
  const actor = { sub: viewer.sub, email: viewer.email };
  const form = Object.fromEntries(await request.formData());
  try {
    if (form.intent === "draft") {
      const parsed = Month.safeParse(form);
      if (!parsed.success) return { ok: false, message: "Check the month.", errors: { month: [parsed.error.issues[0]?.message ?? "Give a month"] } };
      const invoice = await draftMonthlyInvoice(tenantId, parsed.data.month, actor);
      return { ok: true, message: `Draft for ${parsed.data.month} computed: ${formatCents(invoice.totalCents, invoice.currency)} including GST.` };
    }
    if (form.intent === "propose" || form.intent === "change_now") {
      const parsed = PlanChange.safeParse(form);
      if (!parsed.success) return { ok: false, message: "Check the plan change.", errors: z.flattenError(parsed.error).fieldErrors };
      if (form.intent === "change_now") {
        requireRole(request, viewer, ["platform_owner"]);
        await changePlanNow({ tenantId, ...parsed.data, actor });
        return { ok: true, message: `The workspace is now on ${parsed.data.toPlan}; its quotas apply from now and this month's invoice is prorated.` };
      }
      await proposePlanChange({ tenantId, ...parsed.data, actor });
      return { ok: true, message: "Plan change proposed: a platform owner approves it." };
    }
    const decision = Decision.safeParse(form);
    if (!decision.success) throw new Response("Unknown action", { status: 400 });
    if (form.intent === "approve" || form.intent === "reject") {
      requireRole(request, viewer, ["platform_owner"]);
      await decidePlanChange({ tenantId, requestId: decision.data.requestId, note: decision.data.note || null, approve: form.intent === "approve", actor });
      return { ok: true, message: form.intent === "approve" ? "Plan change approved." : "Plan change rejected." };
    }
    if (form.intent === "withdraw") {
      const proposal = await platformDb.planChangeRequest.findUnique({ where: { tenantId_id: { tenantId, id: decision.data.requestId } } });
      if (proposal && proposal.proposedBySub !== viewer.sub) requireRole(request, viewer, ["platform_owner"]);
      await withdrawPlanChange({ tenantId, requestId: decision.data.requestId, actor });
      return { ok: true, message: "Proposal withdrawn." };
    }
  } catch (error) {
    if (error instanceof BillingError) return { ok: false, message: error.message };
    throw error;
  }
  throw new Response("Unknown action", { status: 400 });
}

export default function TenantBillingPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { tenant, plan, monthToDate } = data;
  const open = data.planChanges.find((r) => r.status === "proposed");
  return (
    <Page
      title={`Billing · ${tenant.name}`}
      description={
        <span>
          <Link to="/admin/billing" className="text-brand-700 hover:underline">
            Billing
          </Link>{" "}
          · {tenant.slug} · <Badge tone={statusTone(tenant.status)}>{tenant.status}</Badge>
        </span>
      }
    >
      <BillingNotice result={result} />
      <section aria-labelledby="plan" className="mb-8 grid gap-4 md:grid-cols-2">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="plan" className="text-base font-semibold text-slate-900">
            Plan: {plan?.name ?? tenant.plan}
          </h2>
          {plan ? (
            <p className="mt-1 text-sm text-slate-600">
              {formatCents(plan.monthlyPriceCents, plan.currency)} a month and {formatCents(plan.pricePerCompanyCents, plan.currency)} per company enriched,
              plus GST. Next invoice drafted {formatDay(data.nextInvoiceDate)}.
            </p>
          ) : (
            <p className="mt-1 text-sm text-red-800">The plan {tenant.plan} is not in the catalogue: invoices cannot be computed until it is.</p>
          )}
          <h3 className="mt-4 text-sm font-medium text-slate-900">This month so far</h3>
          <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 text-sm">
            {[
              ["Runs", formatCount(monthToDate.runs)],
              ["Companies enriched", formatCount(monthToDate.companiesEnriched)],
              ["Vendor calls", formatCount(monthToDate.vendorCalls)],
              ["Vendor cost (list price)", formatUsd(monthToDate.vendorCostUsd)],
              ["LLM tokens", formatCount(monthToDate.llmTokens)],
              ["Exports", formatCount(monthToDate.exports)],
              ["Seats", formatCount(monthToDate.seats)],
              ["Storage", `${formatCount(Math.round(monthToDate.storageBytes / 1024))} KiB`],
            ].map(([label, value]) => (
              <div key={label} className="flex justify-between gap-2">
                <dt className="text-slate-500">{label}</dt>
                <dd className="tabular-nums text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-2 text-xs text-slate-500">
            {monthToDate.meteredAt ? `Metered ${formatWhen(monthToDate.meteredAt)}; usage is metered hourly.` : "Not metered yet this month."}
          </p>
        </div>
        {data.can.bill ? (
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="text-base font-semibold text-slate-900">Change the plan</h2>
            {open ? (
              <p className="mt-1 text-sm text-amber-900">
                {open.fromPlan} → {open.toPlan} is waiting for approval ({open.reason}).
              </p>
            ) : (
              <Form method="post" className="mt-2 space-y-3">
                <SelectField label="New plan" errors={result?.errors?.toPlan} selectProps={{ name: "toPlan", required: true, defaultValue: "" }}>
                  <option value="" disabled>
                    Choose a plan
                  </option>
                  {data.plans
                    .filter((p) => p.code !== tenant.plan)
                    .map((p) => (
                      <option key={p.code} value={p.code}>
                        {p.name} ({formatCents(p.monthlyPriceCents, p.currency)} a month)
                      </option>
                    ))}
                </SelectField>
                <TextareaField label="Reason" errors={result?.errors?.reason} textareaProps={{ name: "reason", required: true, rows: 2, maxLength: 500 }} />
                <div className="flex flex-wrap gap-2">
                  <Button type="submit" name="intent" value="propose" variant={data.can.own ? "secondary" : "primary"} disabled={busy}>
                    Propose change
                  </Button>
                  {data.can.own ? (
                    <Button type="submit" name="intent" value="change_now" disabled={busy}>
                      Change plan now
                    </Button>
                  ) : null}
                </div>
                <p className="text-xs text-slate-500">The new quotas apply from the moment it changes; the month is billed pro rata by days on each plan.</p>
              </Form>
            )}
          </div>
        ) : null}
      </section>

      <section aria-labelledby="quotas" className="mb-8">
        <h2 id="quotas" className="mb-2 text-base font-semibold text-slate-900">
          Quotas
        </h2>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <QuotaTable quotas={data.quotas} planName={plan?.name ?? tenant.plan} />
        </div>
      </section>

      <section aria-labelledby="plan-changes" className="mb-8">
        <h2 id="plan-changes" className="mb-2 text-base font-semibold text-slate-900">
          Plan changes
        </h2>
        {data.planChanges.length === 0 ? (
          <EmptyState title="No plan changes yet" />
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <DataTable
              variant="card"
              columns={planChangeColumns(false, (r) =>
                r.status !== "proposed" ? null : (
                  <Form method="post" className="flex flex-wrap gap-2">
                    <input type="hidden" name="requestId" value={r.id} />
                    {data.can.own ? (
                      <>
                        <Button type="submit" name="intent" value="approve" disabled={busy}>
                          Approve
                        </Button>
                        <Button type="submit" name="intent" value="reject" variant="secondary" disabled={busy}>
                          Reject
                        </Button>
                      </>
                    ) : null}
                    {data.can.own || data.planChanges.find((p) => p.id === r.id)?.proposedBySub === data.viewerSub ? (
                      <Button type="submit" name="intent" value="withdraw" variant="secondary" disabled={busy}>
                        Withdraw
                      </Button>
                    ) : null}
                  </Form>
                ),
              )}
              rows={data.planChanges}
              rowKey={(r) => r.id}
              caption="This tenant's plan changes"
            />
          </div>
        )}
      </section>

      <section aria-labelledby="invoices" className="mb-8">
        <div className="mb-2 flex flex-wrap items-end justify-between gap-3">
          <h2 id="invoices" className="text-base font-semibold text-slate-900">
            Invoices
          </h2>
          {data.can.bill ? (
            <Form method="post" className="flex items-end gap-2">
              <Field
                label="Month"
                errors={result?.errors?.month}
                inputProps={{ name: "month", defaultValue: data.lastMonth, required: true, className: "w-28" }}
              />
              <Button type="submit" name="intent" value="draft" variant="secondary" disabled={busy}>
                Draft invoice
              </Button>
            </Form>
          ) : null}
        </div>
        {data.invoices.length === 0 ? (
          <EmptyState title="No invoices yet">The month's invoice is drafted on the 1st of the next; finance may draft one now.</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <InvoiceTable
              invoices={data.invoices}
              showTenant={false}
              hrefFor={(i) => `/admin/billing/invoices/${i.tenantId}/${i.id}`}
              caption={`Invoices of ${tenant.name}`}
            />
          </div>
        )}
      </section>

      <section aria-labelledby="usage">
        <h2 id="usage" className="mb-2 text-base font-semibold text-slate-900">
          Usage by day ({data.thisMonth})
        </h2>
        <UsageDays days={data.usageDays} />
      </section>
    </Page>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Billing · ${data?.tenant.name ?? "Tenant"} · Platform admin` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
