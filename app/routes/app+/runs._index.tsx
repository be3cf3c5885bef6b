import { redirect, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { Skeleton } from "~/components/charts/skeleton";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { lastPageHref, pageParam, Pagination } from "~/components/ui/pagination";
import { listRuns } from "~/dashboard/runs.server";
import { durationMsBetween, formatDay, formatDurationMs, formatWhen } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const url = new URL(request.url);
  const page = pageParam(url);
  const result = await listRuns(viewer.tenant.id, page);
  if (page > result.pages) throw redirect(lastPageHref(url, result.pages));
  return { ...result, page, canOperate: canOperate(viewer.roles) };
}

const KIND_LABEL: Record<string, string> = { nightly: "Nightly", manual: "Manual", re_enrich: "Re-enrich" };

type RunRow = SerializeFrom<typeof loader>["runs"][number];

const runColumns: DataColumn<RunRow>[] = [
  {
    header: "Date",
    rowHeader: true,
    cellClassName: "font-normal",
    cell: (run) => (
      <>
        <Link to={`/app/runs/${run.id}`} className="font-medium text-brand-700 hover:underline">
          {formatDay(run.runDate)}
        </Link>
        <div className="text-xs text-slate-500">{formatWhen(run.createdAt)}</div>
      </>
    ),
  },
  { header: "Kind", cell: (run) => KIND_LABEL[run.kind] ?? run.kind },
  {
    header: "Status",
    cell: (run) => (
      <span className="flex flex-wrap gap-1">
        <Badge tone={statusTone(run.status)}>{run.status}</Badge>
        {run.degraded ? <Badge tone="amber">degraded</Badge> : null}
      </span>
    ),
  },
  {
    header: "Companies",
    align: "right",
    cell: (run) => (run.companies !== null ? formatCount(run.companies) : run.target ? `${formatCount(run.settled)} / ${formatCount(run.target)}` : "—"),
  },
  { header: "High", align: "right", cell: (run) => formatCount(run.high) },
  { header: "Duration", align: "right", cell: (run) => formatDurationMs(durationMsBetween(run.startedAt, run.finishedAt)) },
  { header: "Started by", cellClassName: "text-slate-700", cell: (run) => run.startedByEmail ?? (run.kind === "nightly" ? "Schedule" : "System") },
];

/** While the next page loads, the rows keep their place as placeholders. */
const loadingColumns: DataColumn<RunRow>[] = runColumns.map(({ header, align }) => ({ header, align, cell: () => <Skeleton className="h-4 w-full" /> }));

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
          The nightly run appears here with its figures.{" "}
          {canOperate ? "You can also start one from the dashboard." : "An ops user or admin can also start one."}
        </EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white" aria-busy={loading}>
          <DataTable
            variant="card"
            columns={loading ? loadingColumns : runColumns}
            rows={runs}
            rowKey={(run) => run.id}
            caption={`Run history, page ${page} of ${pages}`}
          />
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Runs · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
