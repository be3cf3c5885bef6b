import { redirect, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requirePlatformUser, requireViewer } from "~/auth/guards.server";
import { canOperateTenants, controlPlaneHome, isPlatformStaff, TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { pageParam, Pagination } from "~/components/ui/pagination";
import { listTenants } from "~/tenants/admin.server";
import { TENANT_STATUSES } from "~/tenants/lifecycle";
import { formatDate } from "~/utils/date-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  // Finance's way into the control plane is billing; it sees no tenants list.
  if (isPlatformStaff(viewer.roles) && !canOperateTenants(viewer.roles)) throw redirect(controlPlaneHome(viewer.roles));
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.trim().slice(0, 100) || undefined;
  const status = url.searchParams.get("status") || undefined;
  const page = pageParam(url);
  const result = await listTenants({ q, status, page });
  // A page past the end (a stale link, or tenants gone since) shows the last page rather than a false "no tenants".
  if (page > result.pages) {
    url.searchParams.set("page", String(result.pages));
    throw redirect(`${url.pathname}?${url.searchParams}`);
  }
  return { ...result, page, filtered: Boolean(q || status) };
}

type TenantRow = SerializeFrom<typeof loader>["tenants"][number];

const tenantColumns: DataColumn<TenantRow>[] = [
  {
    header: "Tenant",
    cell: (t) => (
      <>
        <Link to={`/admin/tenants/${t.id}`} className="font-medium text-brand-700 hover:underline">
          {t.name}
        </Link>
        <div className="text-xs text-slate-500">{t.slug}</div>
      </>
    ),
  },
  { header: "Status", cell: (t) => <Badge tone={statusTone(t.status)}>{t.status}</Badge> },
  {
    header: "Provisioning",
    cellClassName: "text-slate-700",
    cell: (t) => (t.onboardingStatus ? `${t.onboardingStatus.status} · ${t.onboardingStatus.phase}` : "—"),
  },
  { header: "Odoo mode", cellClassName: "text-slate-700", cell: (t) => t.odooConnection?.mode ?? "—" },
  { header: "Created", cellClassName: "text-slate-700", cell: (t) => formatDate(t.createdAt) },
];

export default function Tenants() {
  const { tenants, total, page, pages, filtered } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/admin";
  return (
    <Page title="Tenants" description={`${total} workspace${total === 1 ? "" : "s"} on the platform`}>
      <Form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">Search</span>
          <input
            type="search"
            name="q"
            defaultValue={params.get("q") ?? ""}
            placeholder="Name or slug"
            className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-1.5"
          />
        </label>
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">Status</span>
          <select name="status" defaultValue={params.get("status") ?? ""} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5">
            <option value="">All</option>
            {TENANT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand-600 px-3.5 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          Apply
        </button>
        {filtered ? (
          <Link to="/admin" className="text-sm text-slate-600 underline">
            Clear filters
          </Link>
        ) : null}
      </Form>

      {tenants.length === 0 ? (
        <EmptyState title={filtered ? "No tenant matches these filters" : "No tenants yet"}>
          {filtered ? "Try another search or status." : "A workspace appears here as soon as its first user signs in."}
        </EmptyState>
      ) : (
        <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white ${loading ? "opacity-60" : ""}`} aria-busy={loading}>
          <DataTable variant="card" columns={tenantColumns} rows={tenants} rowKey={(t) => t.id} caption={`Tenants, page ${page} of ${pages}`} />
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Tenants · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
