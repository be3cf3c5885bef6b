import { type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ExportActions } from "~/components/export-actions";
import { Field, SelectField } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { CrmNav } from "~/crm/crm-nav";
import { DataAsOf } from "~/crm/data-as-of";
import { crmFreshness } from "~/crm/data-as-of.server";
import { opportunityFilterOptions, parseOpportunityList, readOpportunityList } from "~/crm/opportunity-list.server";
import {
  CLOSING_LABEL,
  exportSearch,
  OPPORTUNITY_CLOSINGS,
  OPPORTUNITY_OUTCOMES,
  PUSHED_PARAMS,
  SORT_LABEL,
  sortOptionLabel,
  toggledSort,
} from "~/crm/opportunity-query";
import { exportRefusal } from "~/exports/export-quota.server";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { OPPORTUNITY_SORTS, sortKeyOf, type OpportunitySortKey } from "~/lake/opportunity-cursor";
import { formatDate, formatDay } from "~/utils/date-format";
import { formatCount, formatPercent } from "~/utils/number-format";
import { withSearchParams } from "~/utils/search-params";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const list = parseOpportunityList(new URL(request.url).searchParams);
  if (!list.ok) throw new Response(list.message, { status: 400, statusText: "Bad Request" });
  const [page, exportsRefused] = await Promise.all([
    withLakeAccess(viewer, async (tx, access) => ({
      query: list.query,
      page: await readOpportunityList(tx, access, list),
      options: await opportunityFilterOptions(tx, access),
      freshness: await crmFreshness(tx),
    })),
    exportRefusal(viewer.tenant.id),
  ]);
  return { ...page, exportsRefused };
}

type PageData = SerializeFrom<typeof loader>;
type DealView = PageData["page"]["items"][number];

const linkClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50";

/** A column header that sorts the list by its column, saying which way it sorts now. */
function SortHeader({ sortKey, current }: { sortKey: OpportunitySortKey; current: PageData["query"]["sort"] }) {
  const { search } = useLocation();
  const active = sortKeyOf(current) === sortKey;
  const descending = current.startsWith("-");
  return (
    <Link
      to={withSearchParams(search, { sort: toggledSort(current, sortKey), cursor: null }) || "?"}
      className="inline-flex items-center gap-1 hover:text-slate-900"
      aria-label={`Sort by ${SORT_LABEL[sortKey].toLowerCase()}${active ? (descending ? ", now descending" : ", now ascending") : ""}`}
    >
      {SORT_LABEL[sortKey]}
      {active ? <span aria-hidden="true">{descending ? "↓" : "↑"}</span> : null}
    </Link>
  );
}

function dealColumns(sort: PageData["query"]["sort"], search: string): DataColumn<DealView>[] {
  return [
    {
      header: "Deal",
      rowHeader: true,
      cell: (deal) => (
        <Link to={`/app/opportunities/${deal.id}${withSearchParams(search, { cursor: null })}`} className="font-medium text-brand-700 hover:underline">
          {deal.name}
        </Link>
      ),
    },
    { header: "Stage", cell: (deal) => (deal.outcome === "open" ? deal.stage : `${deal.stage} (${deal.outcome})`) },
    { header: <SortHeader sortKey="value" current={sort} />, align: "right", cell: (deal) => formatCount(deal.value) },
    {
      header: <SortHeader sortKey="probability" current={sort} />,
      align: "right",
      className: "hidden sm:table-cell",
      cell: (deal) => formatPercent(deal.probability / 100),
    },
    { header: "Owner", className: "hidden md:table-cell", cell: (deal) => deal.owner?.name ?? "Unassigned" },
    {
      header: "Next activity",
      className: "hidden lg:table-cell",
      cell: (deal) =>
        deal.nextActivity ? (
          <span>
            {formatDate(deal.nextActivity.at)} · {deal.nextActivity.type}
          </span>
        ) : (
          <span className="text-slate-400">None planned</span>
        ),
    },
    {
      header: <SortHeader sortKey="last_touch" current={sort} />,
      className: "hidden md:table-cell whitespace-nowrap",
      cell: (deal) => formatDate(deal.lastTouchAt),
    },
    { header: <SortHeader sortKey="age" current={sort} />, align: "right", cell: (deal) => `${formatCount(deal.ageInStageDays)} d` },
    {
      header: <SortHeader sortKey="deadline" current={sort} />,
      className: "hidden lg:table-cell whitespace-nowrap",
      cell: (deal) => (deal.deadline ? formatDay(deal.deadline) : "—"),
    },
  ];
}

/** The filters as a GET form, so the list's address says what it shows and can be shared or linked to. */
function FilterForm({ data }: { data: PageData }) {
  const { query, options } = data;
  return (
    <Form
      method="get"
      className="mb-6 grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
      aria-label="Filter deals"
    >
      {PUSHED_PARAMS.some((name) => query[name]) ? (
        <p className="text-sm text-slate-600 sm:col-span-2 lg:col-span-4" data-testid="pushed-filter">
          Only deals from leads the platform pushed to Odoo, as the{" "}
          <Link to="/app/lead-outcomes" className="text-brand-700 hover:underline">
            Lead engine outcome
          </Link>{" "}
          counts them.
          {PUSHED_PARAMS.map((name) => (query[name] ? <input key={name} type="hidden" name={name} value={query[name]} /> : null))}
        </p>
      ) : null}
      <SelectField label="Stage" selectProps={{ name: "stage", defaultValue: query.stage ?? "" }}>
        <option value="">Any stage</option>
        {options.stages.map((stage) => (
          <option key={stage} value={stage}>
            {stage}
          </option>
        ))}
      </SelectField>
      <SelectField label="Owner" selectProps={{ name: "owner", defaultValue: query.owner ?? "" }}>
        <option value="">Anyone</option>
        {options.owners.map((owner) => (
          <option key={owner.value} value={owner.value}>
            {owner.label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Team" selectProps={{ name: "team", defaultValue: query.team ?? "" }}>
        <option value="">Any team</option>
        {options.teams.map((team) => (
          <option key={team.value} value={team.value}>
            {team.label}
          </option>
        ))}
      </SelectField>
      <Field label="Tag" inputProps={{ name: "tag", defaultValue: query.tag ?? "", placeholder: "e.g. VIP" }} />
      <SelectField label="Outcome" selectProps={{ name: "outcome", defaultValue: query.outcome ?? "" }}>
        <option value="">Any outcome</option>
        {OPPORTUNITY_OUTCOMES.map((outcome) => (
          <option key={outcome} value={outcome}>
            {outcome}
          </option>
        ))}
      </SelectField>
      <SelectField label="Expected closing" selectProps={{ name: "closing", defaultValue: query.closing ?? "" }}>
        <option value="">Any time</option>
        {OPPORTUNITY_CLOSINGS.map((closing) => (
          <option key={closing} value={closing}>
            {CLOSING_LABEL[closing]}
          </option>
        ))}
      </SelectField>
      <Field label="Opened from (month)" inputProps={{ name: "opened_from", type: "month", defaultValue: query.opened_from ?? "", placeholder: "YYYY-MM" }} />
      <Field label="Opened to (month)" inputProps={{ name: "opened_to", type: "month", defaultValue: query.opened_to ?? "", placeholder: "YYYY-MM" }} />
      <SelectField label="Sort by" selectProps={{ name: "sort", defaultValue: query.sort }}>
        {OPPORTUNITY_SORTS.map((sort) => (
          <option key={sort} value={sort}>
            {sortOptionLabel(sort)}
          </option>
        ))}
      </SelectField>
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-3">
        <Button type="submit">Apply filters</Button>
        <Link to="/app/opportunities" className={linkClass}>
          Clear
        </Link>
      </div>
    </Form>
  );
}

export default function Opportunities() {
  const data = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/opportunities";
  const paged = Boolean(data.query.cursor);
  return (
    <Page
      title="Opportunities"
      description="Every deal you can see in Odoo, sorted and filtered on the server"
      actions={
        <ExportActions refusal={data.exportsRefused}>
          <a href={`/api/export/crm/opportunities.csv${exportSearch(search)}`} className={linkClass} download>
            Export CSV
          </a>
        </ExportActions>
      }
    >
      <CrmNav />
      <div className="mb-4">
        <DataAsOf sources={data.freshness} />
      </div>
      <FilterForm key={search} data={data} />
      {data.page.items.length === 0 ? (
        <EmptyState title={paged ? "No more deals" : "No deals match"}>
          {paged ? "This list has no further page." : "No deal you can see matches these filters. Clear them to see every deal."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" aria-busy={loading}>
          <DataTable
            variant="card"
            columns={dealColumns(data.query.sort, search)}
            rows={data.page.items}
            rowKey={(deal) => deal.id}
            caption={`Deals sorted by ${SORT_LABEL[sortKeyOf(data.query.sort)].toLowerCase()}`}
          />
        </div>
      )}
      <nav aria-label="Deal pages" className="mt-4 flex gap-2">
        {paged ? (
          <Link to={withSearchParams(search, { cursor: null }) || "?"} className={linkClass}>
            First page
          </Link>
        ) : null}
        {data.page.nextCursor ? (
          <Link to={withSearchParams(search, { cursor: data.page.nextCursor })} className={linkClass} rel="next">
            Next page
          </Link>
        ) : null}
      </nav>
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Opportunities · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
