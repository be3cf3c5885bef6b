import { redirect, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser, requireViewer } from "~/auth/guards.server";
import { canOperateTenants, controlPlaneHome, isPlatformStaff, TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { Page } from "~/components/ui/page";
import { SEVERITY_TONE } from "~/tenants/health";
import { TENANT_STATUSES } from "~/tenants/lifecycle";
import { useLiveRefresh } from "~/tenants/live-refresh";
import { OperationPanel } from "~/tenants/operation-panel";
import { operationDetail, recentOperations } from "~/tenants/operations.server";
import { queueAndWorkers, tenantCounts, tenantHealth } from "~/tenants/platform-overview.server";
import { formatWhen, formatWhenWithSeconds } from "~/utils/date-format";
import { withSearchParams } from "~/utils/search-params";

/** The platform overview: tenants by status, their health, recent operations, the job queue and the workers. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  // Finance's way into the control plane is billing; it sees no tenants.
  if (isPlatformStaff(viewer.roles) && !canOperateTenants(viewer.roles)) throw redirect(controlPlaneHome(viewer.roles));
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const openId = z.uuid().safeParse(new URL(request.url).searchParams.get("operation"));
  const [counts, health, operations, jobs, openOperation] = await Promise.all([
    tenantCounts(),
    tenantHealth(),
    recentOperations({ limit: 15 }),
    queueAndWorkers(),
    openId.success ? operationDetail(openId.data) : null,
  ]);
  return { counts, health, operations, jobs, openOperation };
}

type LoaderData = SerializeFrom<typeof loader>;
type HealthRow = LoaderData["health"][number];

const healthColumns: DataColumn<HealthRow>[] = [
  {
    header: "Tenant",
    cell: (t) => (
      <Link to={`/admin/tenants/${t.id}`} className="font-medium text-brand-700 hover:underline">
        {t.name}
      </Link>
    ),
  },
  { header: "Health", cell: (t) => <Badge tone={SEVERITY_TONE[t.severity]}>{t.severity}</Badge> },
  { header: "Status", cell: (t) => <Badge tone={statusTone(t.status)}>{t.status}</Badge> },
  { header: "Provisioning", cellClassName: "text-slate-700", cell: (t) => t.provisioning ?? "—" },
  { header: "Last run", cellClassName: "text-slate-700", cell: (t) => (t.lastRunAt ? `${formatWhen(t.lastRunAt)} · ${t.lastRunStatus}` : "never") },
  {
    header: "Odoo",
    cell: (t) =>
      t.odooReachable === null ? (
        "not checked"
      ) : (
        <span title={t.odooCheckedAt ? `checked ${formatWhen(t.odooCheckedAt)}` : undefined}>{t.odooReachable ? "reachable" : "unreachable"}</span>
      ),
  },
  {
    header: "Sync freshness",
    cellClassName: "text-slate-700",
    cell: (t) => (t.staleSources > 0 ? `${t.staleSources} stale` : t.lastSyncAt ? `fresh · ${formatWhen(t.lastSyncAt)}` : "—"),
  },
  { header: "Open alerts", cellClassName: "tabular-nums", cell: (t) => t.openAlerts },
];

export default function PlatformOverview() {
  const { counts, health, operations, jobs, openOperation } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  useLiveRefresh(operations.some((op) => op.status === "queued" || op.status === "running"));
  return (
    <Page
      title="Platform overview"
      actions={
        <Link to="/admin/tenants" className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700">
          All tenants
        </Link>
      }
    >
      <nav aria-label="Tenants by status" className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Link to="/admin/tenants" className="rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-600">
          <div className="text-sm text-slate-500">Total</div>
          <div className="text-2xl font-semibold tabular-nums">{counts.total}</div>
        </Link>
        {TENANT_STATUSES.map((status) => (
          <Link key={status} to={`/admin/tenants?status=${status}`} className="rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-600">
            <div className="text-sm capitalize text-slate-500">{status}</div>
            <div className="text-2xl font-semibold tabular-nums">{counts[status]}</div>
          </Link>
        ))}
      </nav>

      <div className="grid gap-6 lg:grid-cols-3">
        <section className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-2" aria-labelledby="health">
          <h2 id="health" className="font-semibold">
            Tenant health
          </h2>
          {health.length === 0 ? (
            <p className="mt-3 text-sm text-slate-600">No tenants yet: a workspace appears as soon as its first user signs in.</p>
          ) : (
            <div className="mt-3 overflow-x-auto">
              <DataTable columns={healthColumns} rows={health} rowKey={(t) => t.id} caption="Tenant health" />
            </div>
          )}
        </section>

        <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="operations">
          <h2 id="operations" className="font-semibold">
            Recent operations
          </h2>
          {operations.length === 0 ? (
            <p className="mt-3 text-sm text-slate-600">No operation yet: pause, resume or rebuild a tenant from its page.</p>
          ) : (
            <ol className="mt-3 space-y-2 text-sm" aria-label="Operations timeline">
              {operations.map((op) => (
                <li key={op.id} className="flex items-center justify-between gap-2" data-operation={op.id}>
                  <Link to={withSearchParams(params.toString(), { operation: op.id })} className="text-brand-700 hover:underline">
                    <span className="capitalize">{op.type}</span> {op.tenant.name}
                  </Link>
                  <span className="flex items-center gap-2 text-xs text-slate-500">
                    {formatWhenWithSeconds(op.createdAt)} <Badge tone={statusTone(op.status)}>{op.status}</Badge>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>

        <section className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-3" aria-labelledby="jobs">
          <h2 id="jobs" className="font-semibold">
            Queue and workers
          </h2>
          <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            {(["ready", "scheduled", "running", "failed"] as const).map((state) => (
              <div key={state}>
                <dt className="capitalize text-slate-500">{state}</dt>
                <dd className="text-xl font-semibold tabular-nums">{jobs.queue[state]}</dd>
              </div>
            ))}
          </dl>
          {jobs.workers.length === 0 ? (
            <p className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-900">No worker has reported: jobs are not running.</p>
          ) : (
            <ul className="mt-3 space-y-1 text-sm" aria-label="Workers">
              {jobs.workers.map((w) => (
                <li key={w.workerId} className="flex gap-3">
                  <Badge tone={w.alive ? "green" : "red"}>{w.alive ? "alive" : "silent"}</Badge>
                  <span>
                    {w.hostname} (pid {w.pid}), last seen {formatWhenWithSeconds(w.seenAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {openOperation ? (
        <aside
          role="dialog"
          aria-label="Operation"
          className="fixed inset-y-0 right-0 z-20 w-full max-w-md overflow-y-auto border-l border-slate-200 bg-white p-6 shadow-xl"
        >
          <Link to={withSearchParams(params.toString(), { operation: null }) || "/admin"} className="mb-4 inline-block text-sm text-slate-600 underline">
            Close
          </Link>
          <OperationPanel operation={openOperation} canRerun rerunAction={`/admin/tenants/${openOperation.tenantId}`} />
        </aside>
      ) : null}
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Platform overview · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
