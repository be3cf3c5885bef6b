import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePlatformUser } from "~/auth/guards.server";
import { BILLING_ROLES } from "~/auth/roles";
import { Badge, statusTone } from "~/components/ui/badge";
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

export const meta: MetaFunction = () => [{ title: "Billing · Platform admin" }];

export default function Billing() {
  const { tenants, total, plans, page, pages } = useLoaderData<typeof loader>();
  return (
    <Page title="Billing" description={plans.map((p) => `${p.tenants} on ${p.plan}`).join(" · ") || "No tenants yet"}>
      {tenants.length === 0 ? (
        <EmptyState title="No tenants yet">A workspace appears here as soon as its first user signs in.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">{`Plans of ${total} tenants`}</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-3">Tenant</th>
                <th scope="col" className="px-4 py-3">Plan</th>
                <th scope="col" className="px-4 py-3">Status</th>
                <th scope="col" className="px-4 py-3">Customer since</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tenants.map((t) => (
                <tr key={t.id}>
                  <td className="px-4 py-3">
                    <div className="font-medium text-slate-900">{t.name}</div>
                    <div className="text-xs text-slate-500">{t.slug}</div>
                  </td>
                  <td className="px-4 py-3 text-slate-700">{t.plan}</td>
                  <td className="px-4 py-3">
                    <Badge tone={statusTone(t.status)}>{t.status}</Badge>
                  </td>
                  <td className="px-4 py-3 text-slate-700">{formatDate(t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </Page>
  );
}
