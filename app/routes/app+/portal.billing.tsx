import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { InvoiceTable, QuotaTable, UsageDays } from "~/billing/billing-ui";
import { formatCents } from "~/billing/invoice";
import { EmptyState } from "~/components/ui/empty-state";
import { Section } from "~/dashboard/section";
import { portalBilling } from "~/portal/billing.server";
import { requirePortalAdmin } from "~/portal/portal-access.server";
import { PortalErrorBoundary } from "~/portal/portal-error-boundary";

/** The portal's Billing: the plan's price, this month's usage and the workspace's invoices (never drafts). */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePortalAdmin(request);
  return portalBilling(viewer.tenant.id);
}

export default function PortalBilling() {
  const { plan, quotas, usageDays, invoices } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <Section id="portal-plan-price" title="Plan">
        {plan ? (
          <p className="text-sm text-slate-700">
            {plan.name}: {formatCents(plan.monthlyPriceCents, plan.currency)} a month and {formatCents(plan.pricePerCompanyCents, plan.currency)} per company
            enriched, plus GST. To change plan, file a support request in the Billing category.
          </p>
        ) : (
          <p className="text-sm text-slate-700">Your plan is being set up; its prices appear here once it is.</p>
        )}
      </Section>
      {plan ? (
        <Section id="portal-quotas" title="Usage against your plan">
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <QuotaTable quotas={quotas} planName={plan.name} />
          </div>
        </Section>
      ) : null}
      <Section id="portal-invoices" title="Invoices">
        {invoices.length === 0 ? (
          <EmptyState title="No invoices yet">Each month's invoice appears here once it is issued, early in the following month.</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <InvoiceTable invoices={invoices} showTenant={false} hrefFor={(i) => `/app/portal/billing/${i.id}`} caption="Your invoices" />
          </div>
        )}
      </Section>
      <Section id="portal-usage" title="Usage this month">
        <UsageDays days={usageDays} />
      </Section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Billing · Tenant portal · Nexius Leads" }];

export const ErrorBoundary = PortalErrorBoundary;
