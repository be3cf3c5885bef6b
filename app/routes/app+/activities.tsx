import { type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ExportActions } from "~/components/export-actions";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { aboutHref, activityQuery, activitySourceLabel, type ActivityFilters } from "~/crm/activities";
import { activitiesView, parseActivitiesQuery } from "~/crm/activities.server";
import { ActivityVolumeChart } from "~/crm/activity-volume-chart";
import { ChoiceSelect, FILTER_CONTROL } from "~/crm/crm-filters";
import { CrmNav } from "~/crm/crm-nav";
import { DataAsOf } from "~/crm/data-as-of";
import { Section } from "~/dashboard/section";
import { exportRefusal } from "~/exports/export-quota.server";
import { formatWhen } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const parsed = parseActivitiesQuery(new URL(request.url));
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });
  const [view, exportsRefused] = await Promise.all([activitiesView(viewer, parsed.query), exportRefusal(viewer.tenant.id)]);
  return { ...view, exportsRefused };
}

type PageData = SerializeFrom<typeof loader>;
type FeedRow = PageData["feed"]["items"][number];
type OverdueRow = PageData["overdueByOwner"][number];

const VIEWS: Array<{ view: ActivityFilters["view"]; label: string }> = [
  { view: "done", label: "Done" },
  { view: "planned", label: "Planned" },
  { view: "overdue", label: "Overdue" },
];

const feedColumns: DataColumn<FeedRow>[] = [
  { header: "When", cell: (row) => formatWhen(row.at), rowHeader: true, cellClassName: "whitespace-nowrap text-slate-900" },
  { header: "Type", cell: (row) => row.activityType },
  { header: "Summary", cell: (row) => row.summary ?? "—", className: "hidden md:table-cell" },
  { header: "Owner", cell: (row) => row.ownerName ?? "No owner" },
  {
    header: "About",
    cell: (row) => {
      if (!row.about) return "—";
      const href = aboutHref(row.about);
      const label = row.about.name ?? row.about.kind;
      return href ? (
        <Link to={href} className="text-brand-700 hover:underline">
          {label}
        </Link>
      ) : (
        label
      );
    },
  },
  { header: "Source", cell: (row) => activitySourceLabel(row.source), className: "hidden sm:table-cell" },
];

const overdueColumns: DataColumn<OverdueRow>[] = [
  { header: "Owner", cell: (row) => row.ownerName ?? "No owner", rowHeader: true },
  { header: "Overdue", cell: (row) => formatCount(row.overdue), align: "right" },
  { header: "Oldest due", cell: (row) => formatWhen(row.oldestDueAt), className: "hidden sm:table-cell" },
];

function Filters({ data }: { data: PageData }) {
  const { filters, choices } = data;
  return (
    <Form method="get" className="grid grid-cols-1 gap-3 sm:grid-cols-4 sm:items-end" aria-label="Filter activities">
      <input type="hidden" name="view" value={filters.view} />
      <label className="text-sm font-medium text-slate-700">
        Type
        <select name="type" defaultValue={filters.type ?? ""} className={FILTER_CONTROL}>
          <option value="">All types</option>
          {choices.types.map((type) => (
            <option key={type}>{type}</option>
          ))}
        </select>
      </label>
      <ChoiceSelect label="Owner" name="owner" all="Everyone" choices={choices.owners} value={filters.owner} min={2} />
      <ChoiceSelect label="Team" name="team" all="All teams" choices={choices.teams} value={filters.team} />
      <button
        type="submit"
        className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-500"
      >
        Apply filters
      </button>
    </Form>
  );
}

export default function ActivitiesPage() {
  const data = useLoaderData<typeof loader>();
  const { filters, feed } = data;
  const viewLabel = VIEWS.find((v) => v.view === filters.view)!.label.toLowerCase();
  return (
    <Page
      title="Activities"
      description="Calls, meetings, emails and Outlook events: what was done, what is planned and what is overdue."
      actions={
        <ExportActions refusal={data.exportsRefused}>
          <a
            href={`/api/export/crm/activities.csv?${activityQuery(filters)}`}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
            download
          >
            Export CSV
          </a>
        </ExportActions>
      }
    >
      <CrmNav />
      <div className="mb-6">
        <DataAsOf sources={data.freshness} />
      </div>
      <div className="grid gap-6">
        <Section id="feed-title" title="Feed">
          <nav aria-label="Which activities" className="mb-4 flex flex-wrap gap-2">
            {VIEWS.map(({ view, label }) => {
              const query = activityQuery({ ...filters, view });
              return (
                <Link
                  key={view}
                  to={query ? `?${query}` : "."}
                  aria-current={view === filters.view ? "page" : undefined}
                  className={`rounded-full border px-3 py-1 text-sm font-medium ${view === filters.view ? "border-brand-600 bg-brand-50 text-brand-800" : "border-slate-300 text-slate-700 hover:bg-slate-50"}`}
                >
                  {label}
                </Link>
              );
            })}
          </nav>
          <Filters data={data} />
          <div className="mt-4 overflow-x-auto">
            {feed.items.length === 0 ? (
              <EmptyState title={`No ${viewLabel} activities`}>
                {data.filters.type || data.filters.owner || data.filters.team
                  ? "Nothing matches these filters; clear them to see more."
                  : "Activities appear here once a source has synced them."}
              </EmptyState>
            ) : (
              <DataTable
                columns={feedColumns}
                rows={feed.items}
                rowKey={(row) => row.id}
                caption={`${VIEWS.find((v) => v.view === filters.view)!.label} activities`}
                data-testid="activity-feed"
              />
            )}
          </div>
          <nav aria-label="Feed pages" className="mt-4 flex gap-2 text-sm">
            {data.firstPage ? null : (
              <Link
                to={`?${activityQuery(filters)}`}
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50"
              >
                First page
              </Link>
            )}
            {feed.nextCursor ? (
              <Link
                to={`?${activityQuery(filters, feed.nextCursor)}`}
                rel="next"
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50"
              >
                Next page
              </Link>
            ) : null}
          </nav>
        </Section>
        <div className="grid gap-6 lg:grid-cols-2">
          <Section id="overdue-title" title="Overdue planned activities per owner">
            {data.overdueByOwner.length === 0 ? (
              <p className="text-sm text-slate-600">No planned activity is overdue.</p>
            ) : (
              <DataTable
                columns={overdueColumns}
                rows={data.overdueByOwner}
                rowKey={(row) => row.ownerId ?? "none"}
                caption="Overdue planned activities per owner"
                data-testid="overdue-by-owner"
              />
            )}
          </Section>
          <Section id="volume-title" title="Activity volume">
            <ActivityVolumeChart id="activity-volume" volume={data.volume} />
            <p className="mt-2 text-xs text-slate-500">Counts every done activity of the reps and team chosen, whatever its type.</p>
          </Section>
        </div>
      </div>
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Activities · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
