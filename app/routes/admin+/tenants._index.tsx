import { redirect, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { lastPageHref, pageParam, Pagination } from "~/components/ui/pagination";
import { listTenants, tenantFilterChoices } from "~/tenants/admin.server";
import { TENANT_STATUSES } from "~/tenants/lifecycle";
import { nextSort, parseTenantSort, type TenantSort } from "~/tenants/tenant-list";
import { formatDate } from "~/utils/date-format";
import { withSearchParams } from "~/utils/search-params";

const FILTERS = ["q", "status", "plan", "region", "group"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const url = new URL(request.url);
  const value = (name: string) => url.searchParams.get(name)?.trim().slice(0, 100) || undefined;
  const sort = parseTenantSort(url.searchParams.get("sort"));
  const page = pageParam(url);
  const [result, choices] = await Promise.all([
    listTenants({ q: value("q"), status: value("status"), plan: value("plan"), region: value("region"), agencyGroup: value("group"), sort, page }),
    tenantFilterChoices(),
  ]);
  // A page past the end (a stale link, or tenants gone since) shows the last page rather than a false "no tenants".
  if (page > result.pages) throw redirect(lastPageHref(url, result.pages));
  return { ...result, page, sort, choices, filtered: FILTERS.some((name) => Boolean(value(name))), canCreate: viewer.roles.includes("platform_owner") };
}

type LoaderData = SerializeFrom<typeof loader>;
type TenantRow = LoaderData["tenants"][number];

function tenantColumns(search: string, sort: TenantSort): DataColumn<TenantRow>[] {
  const sortable = (label: string, column: "name" | "created" | "status" | "plan") => (
    <Link to={withSearchParams(search, { sort: nextSort(sort, column), page: null })} className="hover:underline">
      {label}
      {sort === column ? " ↑" : sort === `-${column}` ? " ↓" : ""}
    </Link>
  );
  return [
    {
      header: sortable("Tenant", "name"),
      cell: (t) => (
        <>
          <Link to={`/admin/tenants/${t.id}`} className="font-medium text-brand-700 hover:underline">
            {t.name}
          </Link>
          <div className="text-xs text-slate-500">{t.slug}</div>
        </>
      ),
    },
    {
      header: sortable("Status", "status"),
      cell: (t) => (
        <Link to={withSearchParams(search, { status: t.status, page: null })} aria-label={`Only ${t.status} tenants`}>
          <Badge tone={statusTone(t.status)}>{t.status}</Badge>
        </Link>
      ),
    },
    { header: sortable("Plan", "plan"), cellClassName: "text-slate-700", cell: (t) => t.plan },
    { header: "Region", cellClassName: "text-slate-700", cell: (t) => t.region ?? "—" },
    { header: "Agency group", cellClassName: "text-slate-700", cell: (t) => t.agencyGroup ?? "—" },
    {
      header: "Provisioning",
      cellClassName: "text-slate-700",
      cell: (t) => (t.onboardingStatus ? `${t.onboardingStatus.status} · ${t.onboardingStatus.phase}` : "—"),
    },
    { header: "Odoo mode", cellClassName: "text-slate-700", cell: (t) => t.odooConnection?.mode ?? "—" },
    { header: sortable("Created", "created"), cellClassName: "text-slate-700", cell: (t) => formatDate(t.createdAt) },
  ];
}

/** Waits this long after the last keystroke before searching, so typing a name runs one search, not one per letter. */
const SEARCH_DEBOUNCE_MS = 300;

export default function Tenants() {
  const { tenants, total, page, pages, filtered, sort, choices, canCreate } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const loading = navigation.state === "loading" && navigation.location.pathname === "/admin/tenants";
  const refetch = (delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => form.current && submit(form.current, { replace: true }), delay);
  };
  const select = (name: string, label: string, options: readonly string[]) => (
    <label className="flex flex-col text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <select name={name} defaultValue={params.get(name) ?? ""} onChange={() => refetch(0)} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5">
        <option value="">All</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Page
      title="Tenants"
      description={`${total} workspace${total === 1 ? "" : "s"}${filtered ? " match" : " on the platform"}`}
      actions={canCreate ? <CreateTenantLink /> : null}
    >
      <Form ref={form} method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm">
          <span className="font-medium text-slate-700">Search</span>
          <input
            type="search"
            name="q"
            defaultValue={params.get("q") ?? ""}
            placeholder="Name or slug"
            onChange={() => refetch(SEARCH_DEBOUNCE_MS)}
            className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-1.5"
          />
        </label>
        {select("status", "Status", TENANT_STATUSES)}
        {select("plan", "Plan", choices.plans)}
        {select("region", "Region", choices.regions)}
        {select("group", "Agency group", choices.agencyGroups)}
        <input type="hidden" name="sort" value={sort} />
        <button type="submit" className="rounded-md bg-brand-600 px-3.5 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          Apply
        </button>
        {filtered ? (
          <Link to="/admin/tenants" className="text-sm text-slate-600 underline">
            Clear filters
          </Link>
        ) : null}
      </Form>

      {tenants.length === 0 ? (
        <EmptyState
          title={filtered ? "No tenant matches these filters" : "No tenants yet"}
          action={
            !filtered && canCreate ? (
              <CreateTenantLink />
            ) : (
              <Link
                to={filtered ? "/admin/tenants" : "/admin/runbooks"}
                className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
              >
                {filtered ? "Show every tenant" : "Read the operators' runbooks"}
              </Link>
            )
          }
        >
          {filtered ? "Try another search or filter." : "A workspace appears here when a platform owner creates it or its first user signs in."}
        </EmptyState>
      ) : (
        <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white ${loading ? "opacity-60" : ""}`} aria-busy={loading}>
          <DataTable
            variant="card"
            columns={tenantColumns(params.toString(), sort)}
            rows={tenants}
            rowKey={(t) => t.id}
            caption={`Tenants, page ${page} of ${pages}`}
          />
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </Page>
  );
}

function CreateTenantLink() {
  return (
    <Link to="/admin/tenants/new" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
      Create tenant
    </Link>
  );
}

export const meta: MetaFunction = () => [{ title: "Tenants · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
