import { type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { type ReactNode } from "react";
import { requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { activityQuery } from "~/crm/activities";
import { ChoiceSelect, FILTER_CONTROL } from "~/crm/crm-filters";
import { CrmNav } from "~/crm/crm-nav";
import { DataAsOf } from "~/crm/data-as-of";
import { KpiTrendChart } from "~/crm/kpi-trend-chart";
import { dealsHref, type PerformanceLine } from "~/crm/performance";
import { parseKpisQuery, performanceView } from "~/crm/performance.server";
import { Section } from "~/dashboard/section";
import { formatDay } from "~/utils/date-format";
import { formatCount, formatPercent } from "~/utils/number-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const parsed = parseKpisQuery(new URL(request.url));
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });
  return performanceView(viewer, parsed.query);
}

type PageData = SerializeFrom<typeof loader>;
type Filters = { team?: string; owner?: string };

const link = "text-brand-700 hover:underline";

function Figure({ label, value, to, hint }: { label: string; value: string; to: string; hint?: string }) {
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums">
        <Link to={to} className={link}>
          {value}
        </Link>
      </dd>
      {hint ? <dd className="text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}

function lineColumns<Row extends PerformanceLine>(
  first: { header: string; cell: (row: Row) => ReactNode },
  filtersOf: (row: Row) => Filters,
): DataColumn<Row>[] {
  return [
    { header: first.header, cell: first.cell, rowHeader: true },
    {
      header: "Won value",
      align: "right",
      cell: (row) => (
        <Link to={dealsHref({ outcome: "won", ...filtersOf(row) })} className={link}>
          {formatCount(row.wonValue)}
        </Link>
      ),
    },
    { header: "Won", align: "right", cell: (row) => formatCount(row.won) },
    {
      header: "Lost",
      align: "right",
      className: "hidden sm:table-cell",
      cell: (row) => (
        <Link to={dealsHref({ outcome: "lost", ...filtersOf(row) })} className={link}>
          {formatCount(row.lost)}
        </Link>
      ),
    },
    { header: "Win rate", align: "right", cell: (row) => formatPercent(row.winRate) },
    { header: "Avg deal", align: "right", className: "hidden md:table-cell", cell: (row) => formatCount(row.averageDealSize) },
    { header: "Cycle (days)", align: "right", className: "hidden md:table-cell", cell: (row) => formatCount(row.averageCycleDays) },
    { header: "Activities", align: "right", className: "hidden sm:table-cell", cell: (row) => formatCount(row.activitiesDone) },
  ];
}

type TeamRow = PageData["byTeam"][number];
type RepRow = NonNullable<PageData["byRep"]>[number];

const teamColumns = lineColumns<TeamRow>({ header: "Team", cell: (row) => row.teamName ?? "No team" }, (row) => ({ team: row.teamId ?? undefined }));
const repColumns = lineColumns<RepRow>({ header: "Rep", cell: (row) => row.ownerName ?? "No owner" }, (row) => ({ owner: row.ownerId ?? undefined }));

function PeriodForm({ data }: { data: PageData }) {
  return (
    <Form method="get" className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-5 sm:items-end" aria-label="Period and filters">
      <label className="text-sm font-medium text-slate-700">
        From
        <input type="date" name="from" defaultValue={data.period.from} required className={FILTER_CONTROL} />
      </label>
      <label className="text-sm font-medium text-slate-700">
        To
        <input type="date" name="to" defaultValue={data.period.to} required className={FILTER_CONTROL} />
      </label>
      <ChoiceSelect label="Team" name="team" all="All teams" choices={data.choices.teams} value={data.filters.team} />
      <ChoiceSelect label="Rep" name="owner" all="Everyone" choices={data.choices.owners} value={data.filters.owner} min={2} />
      <button
        type="submit"
        className="col-span-2 rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-500 sm:col-span-1"
      >
        Show
      </button>
    </Form>
  );
}

export default function PerformancePage() {
  const data = useLoaderData<typeof loader>();
  const filters: Filters = { team: data.filters.team ?? undefined, owner: data.filters.owner ?? undefined };
  const { totals } = data;
  const won = dealsHref({ outcome: "won", ...filters });
  return (
    <Page
      title="Performance"
      description={`${formatDay(data.period.from)} to ${formatDay(data.period.to)} (Singapore days); won and lost deals count on the day they closed.`}
    >
      <CrmNav />
      <div className="mb-6">
        <DataAsOf sources={data.freshness} />
      </div>
      <PeriodForm data={data} />
      <div className="grid gap-6">
        <Section id="kpis-title" title="Key figures">
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" data-testid="kpi-figures">
            <Figure label="Won value" value={formatCount(totals.wonValue)} to={won} hint={`${formatCount(totals.won)} deals won`} />
            <Figure
              label="Win rate"
              value={formatPercent(totals.winRate)}
              to={dealsHref({ outcome: "lost", ...filters })}
              hint={`${formatCount(totals.lost)} lost`}
            />
            <Figure label="Average deal size" value={formatCount(totals.averageDealSize)} to={won} />
            <Figure
              label="Sales cycle"
              value={totals.averageCycleDays === null ? "—" : `${formatCount(totals.averageCycleDays)} days`}
              to={won}
              hint="opened to won"
            />
            <Figure
              label="Activities per rep"
              value={formatCount(totals.activitiesPerRep)}
              to={`/app/activities?${activityQuery({ view: "done", ...filters })}`}
              hint={`${formatCount(totals.activitiesDone)} done by ${formatCount(totals.reps)} reps`}
            />
            <Figure
              label="Stale deals"
              value={formatCount(data.stale.count)}
              to={dealsHref({ outcome: "open", ...filters })}
              hint={`open, untouched ${data.stale.afterDays} days; worth ${formatCount(data.stale.value)}`}
            />
          </dl>
        </Section>
        <Section id="trend-title" title="Over time">
          <KpiTrendChart id="kpi-trend" series={data.series} bucket={data.period.bucket} />
        </Section>
        <Section id="conversion-title" title="Stage conversion">
          <p className="mb-3 text-sm text-slate-600">
            Deals opened {data.conversion.openedFrom} to {data.conversion.openedTo}: how many reached each stage and went on past it. Without a stage history, a
            deal counts as having passed the stages before the one it is in now.
          </p>
          {data.conversion.stages.length === 0 ? (
            <EmptyState title="No deal was opened in these months" />
          ) : (
            <div className="overflow-x-auto">
              <DataTable
                data-testid="stage-conversion"
                caption="Stage conversion"
                rows={data.conversion.stages}
                rowKey={(row) => row.stage}
                columns={[
                  { header: "Stage", rowHeader: true, cell: (row) => row.stage },
                  {
                    header: "Reached",
                    align: "right",
                    cell: (row) => formatCount(row.reached),
                  },
                  {
                    header: "Went on",
                    align: "right",
                    cell: (row) => formatCount(row.wentOn),
                  },
                  { header: "Conversion", align: "right", cell: (row) => formatPercent(row.rate) },
                  {
                    header: "Deals there now",
                    align: "right",
                    cell: (row) => (
                      <Link
                        to={dealsHref({ stage: row.stage, opened_from: data.conversion.openedFrom, opened_to: data.conversion.openedTo, ...filters })}
                        className={link}
                      >
                        {formatCount(row.reached - row.wentOn)}
                      </Link>
                    ),
                  },
                ]}
              />
            </div>
          )}
        </Section>
        <Section id="teams-title" title="Per team">
          {data.byTeam.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing closed and no activity done in this period.</p>
          ) : (
            <div className="overflow-x-auto">
              <DataTable data-testid="per-team" caption="Per team" rows={data.byTeam} rowKey={(row) => row.teamId ?? "none"} columns={teamColumns} />
            </div>
          )}
        </Section>
        {data.byRep ? (
          <Section id="reps-title" title={data.role === "rep" ? "Your line" : "Per rep"}>
            {data.byRep.length === 0 ? (
              <p className="text-sm text-slate-600">Nothing closed and no activity done in this period.</p>
            ) : (
              <div className="overflow-x-auto">
                <DataTable data-testid="per-rep" caption="Per rep" rows={data.byRep} rowKey={(row) => row.ownerId ?? "none"} columns={repColumns} />
              </div>
            )}
          </Section>
        ) : null}
      </div>
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Performance · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
