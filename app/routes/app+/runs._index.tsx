import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { Skeleton } from "~/components/charts/skeleton";
import { Badge, statusTone } from "~/components/ui/badge";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { lastPageHref, pageParam, Pagination } from "~/components/ui/pagination";
import { durationMsBetween, formatDay, formatDurationMs, formatWhen } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";
import { listRuns, RUNS_PER_PAGE } from "~/dashboard/runs.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const url = new URL(request.url);
  const page = pageParam(url);
  const result = await listRuns(viewer.tenant.id, page);
  if (page > result.pages) throw redirect(lastPageHref(url, result.pages));
  return { ...result, page, canOperate: canOperate(viewer.roles) };
}

export const meta: MetaFunction = () => [{ title: "Runs · Nexius Leads" }];

const KIND_LABEL: Record<string, string> = { nightly: "Nightly", manual: "Manual", re_enrich: "Re-enrich" };

export default function Runs() {
  const { runs, total, page, pages, canOperate } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/runs";
  return (
    <Page title="Runs" description={`${formatCount(total)} run${total === 1 ? "" : "s"} in this workspace, newest first`}>
      {runs.length === 0 ? (
        <EmptyState
          title="No runs yet"
          action={
            canOperate ? (
              <Link to="/app" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
                Go to the dashboard to start one
              </Link>
            ) : null
          }
        >
          The nightly run appears here with its figures. {canOperate ? "You can also start one from the dashboard." : "An ops user or admin can also start one."}
        </EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white" aria-busy={loading}>
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Run history, page {page} of {pages}</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-3">Date</th>
                <th scope="col" className="px-4 py-3">Kind</th>
                <th scope="col" className="px-4 py-3">Status</th>
                <th scope="col" className="px-4 py-3 text-right">Companies</th>
                <th scope="col" className="px-4 py-3 text-right">High</th>
                <th scope="col" className="px-4 py-3 text-right">Duration</th>
                <th scope="col" className="px-4 py-3">Started by</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {loading
                ? Array.from({ length: Math.min(runs.length, RUNS_PER_PAGE) }, (_, i) => (
                    <tr key={i}>
                      {Array.from({ length: 7 }, (_, j) => (
                        <td key={j} className="px-4 py-3">
                          <Skeleton className="h-4 w-full" />
                        </td>
                      ))}
                    </tr>
                  ))
                : runs.map((run) => (
                    <tr key={run.id} className="hover:bg-slate-50">
                      <th scope="row" className="px-4 py-3 text-left font-normal">
                        <Link to={`/app/runs/${run.id}`} className="font-medium text-brand-700 hover:underline">
                          {formatDay(run.runDate)}
                        </Link>
                        <div className="text-xs text-slate-500">{formatWhen(run.createdAt)}</div>
                      </th>
                      <td className="px-4 py-3">{KIND_LABEL[run.kind] ?? run.kind}</td>
                      <td className="px-4 py-3">
                        <span className="flex flex-wrap gap-1">
                          <Badge tone={statusTone(run.status)}>{run.status}</Badge>
                          {run.degraded ? <Badge tone="amber">degraded</Badge> : null}
                        </span>
                      </td>
                      <td className="px-4 py-3 text-right tabular-nums">{run.companies !== null ? formatCount(run.companies) : run.target ? `${formatCount(run.settled)} / ${formatCount(run.target)}` : "—"}</td>
                      <td className="px-4 py-3 text-right tabular-nums">{formatCount(run.high)}</td>
                      <td className="px-4 py-3 text-right tabular-nums">{formatDurationMs(durationMsBetween(run.startedAt, run.finishedAt))}</td>
                      <td className="px-4 py-3 text-slate-700">{run.startedByEmail ?? (run.kind === "nightly" ? "Schedule" : "System")}</td>
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
