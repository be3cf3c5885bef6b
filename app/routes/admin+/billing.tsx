import { redirect, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePlatformUser } from "~/auth/guards.server";
import { BILLING_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { pageParam, Pagination } from "~/components/ui/pagination";
import { listTenantPlans } from "~/tenants/admin.server";
import { formatDate } from "~/utils/date-format";

/** Billing & subscriptions: the tenants' plans, read-only, for the platform owners and finance. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, BILLING_ROLES);
  const url = new URL(request.url);
  const page = pageParam(url);
  const result = await listTenantPlans(page);
  if (page > result.pages) {
    url.searchParams.set("page", String(result.pages));
    throw redirect(`${url.pathname}?${url.searchParams}`);
  }
  return { ...result, page };
}

type PlanRow = SerializeFrom<typeof loader>["tenants"][number];

const planColumns: DataColumn<PlanRow>[] = [
  {
    header: "Tenant",
    cell: (t) => (
      <>
        <div className="font-medium text-slate-900">{t.name}</div>
        <div className="text-xs text-slate-500">{t.slug}</div>
      </>
    ),
  },
  { header: "Plan", cellClassName: "text-slate-700", cell: (t) => t.plan },
  { header: "Status", cell: (t) => <Badge tone={statusTone(t.status)}>{t.status}</Badge> },
  { header: "Customer since", cellClassName: "text-slate-700", cell: (t) => formatDate(t.createdAt) },
];

export default function Billing() {
  const { tenants, total, plans, page, pages } = useLoaderData<typeof loader>();
  return (
    <Page title="Billing" description={plans.map((p) => `${p.tenants} on ${p.plan}`).join(" · ") || "No tenants yet"}>
      {tenants.length === 0 ? (
        <EmptyState title="No tenants yet">A workspace appears here as soon as its first user signs in.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <DataTable variant="card" columns={planColumns} rows={tenants} rowKey={(t) => t.id} caption={`Plans of ${total} tenants`} />
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Billing · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
