import { redirect, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { ANALYTICS_VIEW_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { lastPageHref, pageParam, Pagination } from "~/components/ui/pagination";
import { ANALYTICS_HUB_STATE_LABELS, ANALYTICS_HUB_STATES, type AnalyticsHubState } from "~/tenants/analytics-hub";
import { listAnalyticsHub } from "~/tenants/analytics-hub.server";
import { formatWhen } from "~/utils/date-format";

/**
 * Every tenant's analytics hub in one list: whether its read-only BI login is
 * enabled or revoked, the login's name, since when, and its BI dashboard.
 * Owners, operators and finance read it (seed 004 §2, §6); each tenant's
 * Analytics tab is where an owner changes it. No password exists to show.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, ANALYTICS_VIEW_ROLES);
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.trim().slice(0, 100) || undefined;
  const state = z.enum(ANALYTICS_HUB_STATES).safeParse(url.searchParams.get("state"));
  const page = pageParam(url);
  const result = await listAnalyticsHub({ q, state: state.success ? state.data : undefined, page });
  if (page > result.pages) throw redirect(lastPageHref(url, result.pages));
  return { ...result, page, filtered: Boolean(q) || state.success };
}

type Row = SerializeFrom<typeof loader>["tenants"][number];

const STATE_TONES: Record<AnalyticsHubState, BadgeTone> = { enabled: "green", revoked: "red", off: "gray" };

const columns: DataColumn<Row>[] = [
  {
    header: "Tenant",
    rowHeader: true,
    cell: (t) => (
      <>
        <Link to={`/admin/tenants/${t.id}/analytics`} className="font-medium text-brand-700 hover:underline" aria-label={`${t.name}: Analytics tab`}>
          {t.name}
        </Link>
        <div className="text-xs font-normal text-slate-500">{t.slug}</div>
      </>
    ),
  },
  { header: "Access", cell: (t) => <Badge tone={STATE_TONES[t.state]}>{ANALYTICS_HUB_STATE_LABELS[t.state]}</Badge> },
  { header: "Role", cellClassName: "break-all font-mono text-xs", cell: (t) => t.roleName ?? "—" },
  {
    header: "Since",
    cellClassName: "whitespace-nowrap text-slate-700",
    cell: (t) => (
      <>
        {formatWhen(t.since)}
        {t.rotatedAt ? <div className="text-xs text-slate-500">new password {formatWhen(t.rotatedAt)}</div> : null}
      </>
    ),
  },
  {
    header: "BI dashboard",
    cellClassName: "max-w-xs break-all",
    cell: (t) =>
      t.biDashboardUrl ? (
        <a href={t.biDashboardUrl} target="_blank" rel="noreferrer noopener" className="text-brand-700 hover:underline">
          {t.biDashboardUrl}
        </a>
      ) : (
        "—"
      ),
  },
];

export default function AnalyticsIntegrations() {
  const { tenants, total, page, pages, counts, filtered } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/admin/integrations/analytics";
  return (
    <Page
      title="Analytics hub"
      description={`Read-only BI logins: ${counts.enabled} enabled, ${counts.revoked} revoked, ${counts.off} not enabled. A tenant's Analytics tab enables, re-passwords or revokes its login.`}
    >
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
          <span className="font-medium text-slate-700">Access</span>
          <select name="state" defaultValue={params.get("state") ?? ""} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5">
            <option value="">All</option>
            {ANALYTICS_HUB_STATES.map((s) => (
              <option key={s} value={s}>
                {ANALYTICS_HUB_STATE_LABELS[s]} ({counts[s]})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand-600 px-3.5 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          Search
        </button>
        {filtered ? (
          <Link to="/admin/integrations/analytics" className="text-sm text-slate-600 underline">
            Clear filters
          </Link>
        ) : null}
      </Form>
      {tenants.length === 0 ? (
        <EmptyState title={filtered ? "No tenant matches" : "No tenants yet"}>
          {filtered ? "Try another name or access state." : "Each tenant appears here once it exists; its Analytics tab turns on its BI login."}
        </EmptyState>
      ) : (
        <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white ${loading ? "opacity-60" : ""}`} aria-busy={loading}>
          <DataTable
            variant="card"
            columns={columns}
            rows={tenants}
            rowKey={(t) => t.id}
            caption={`Tenants' analytics access, ${total} in all, page ${page} of ${pages}`}
          />
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Analytics hub · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
