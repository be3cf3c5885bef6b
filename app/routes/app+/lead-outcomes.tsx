import { type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { requireTenantUser } from "~/auth/guards.server";
import { ChartFrame } from "~/components/charts/chart-frame";
import { ErrorNotice, GeneralErrorBoundary } from "~/components/error-boundary";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { CrmNav } from "~/crm/crm-nav";
import { DataAsOf } from "~/crm/data-as-of";
import { crmFreshness } from "~/crm/data-as-of.server";
import { pushedDealsHref, type PushedFilter } from "~/crm/lead-outcomes";
import { parseLeadOutcomesQuery } from "~/crm/lead-outcomes-query";
import { leadOutcomes } from "~/crm/lead-outcomes.server";
import { Section, Stat } from "~/dashboard/section";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { formatDay } from "~/utils/date-format";
import { formatCount, formatPercent, formatUsd } from "~/utils/number-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const query = parseLeadOutcomesQuery(new URL(request.url).searchParams);
  if (!query.ok) throw new Response(query.message, { status: 400 });
  return withLakeAccess(viewer, async (tx, access) => ({
    outcomes: await leadOutcomes(tx, access, query.query),
    freshness: await crmFreshness(tx),
    query: query.query,
  }));
}

type Group = SerializeFrom<typeof loader>["outcomes"]["byBucket"][number];

/** A count that opens the deals behind it; zero stays plain text, as there is nothing to open. */
function DealsLink({ count, filter, outcome, what }: { count: number; filter: PushedFilter; outcome?: "open" | "won" | "lost"; what: string }) {
  if (count === 0) return <>0</>;
  return (
    <Link to={pushedDealsHref(filter, outcome)} className="text-brand-700 hover:underline" aria-label={`${formatCount(count)} ${what}: show the deals`}>
      {formatCount(count)}
    </Link>
  );
}

function outcomeColumns(groupHeader: string, spendShown: boolean): DataColumn<Group>[] {
  const columns: DataColumn<Group>[] = [
    { header: groupHeader, rowHeader: true, cellClassName: "whitespace-nowrap font-medium text-slate-900", cell: (g) => g.label },
    { header: "Pushed", align: "right", cell: (g) => formatCount(g.pushed) },
    {
      header: "Opportunities",
      align: "right",
      cell: (g) => <DealsLink count={g.opportunities} filter={g.filter} what={`opportunities from ${g.label}`} />,
    },
    { header: "Won", align: "right", cell: (g) => <DealsLink count={g.won} filter={g.filter} outcome="won" what={`won deals from ${g.label}`} /> },
    { header: "Lost", align: "right", cell: (g) => <DealsLink count={g.lost} filter={g.filter} outcome="lost" what={`lost deals from ${g.label}`} /> },
    { header: "Open", align: "right", cell: (g) => <DealsLink count={g.open} filter={g.filter} outcome="open" what={`open deals from ${g.label}`} /> },
    { header: "Conversion", align: "right", cell: (g) => formatPercent(g.conversionRate) },
    { header: "Won value", align: "right", cell: (g) => formatCount(g.wonValue) },
  ];
  if (spendShown) {
    columns.push(
      { header: "Vendor spend", align: "right", cell: (g) => formatUsd(g.spendUsd) },
      { header: "Spend per won deal", align: "right", cell: (g) => formatUsd(g.spendPerWonDeal) },
    );
  }
  return columns.map((column) => ({ ...column, cellClassName: column.cellClassName ?? "whitespace-nowrap tabular-nums" }));
}

function OutcomeTable({
  title,
  id,
  groupHeader,
  groups,
  spendShown,
}: {
  title: string;
  id: string;
  groupHeader: string;
  groups: Group[];
  spendShown: boolean;
}) {
  return (
    <Section id={id} title={title}>
      <div className="overflow-x-auto">
        <DataTable columns={outcomeColumns(groupHeader, spendShown)} rows={groups} rowKey={(g) => g.key} label={title} density="compact" />
      </div>
    </Section>
  );
}

/** Does "High" convert? Each bucket's conversion rate (pushed leads with a won deal), side by side. */
function BucketConversionChart({ groups }: { groups: Group[] }) {
  const data = groups.map((g) => ({ bucket: g.label, rate: g.conversionRate === null ? 0 : Math.round(g.conversionRate * 1000) / 10 }));
  const summary = groups.map((g) => `${g.label} ${formatPercent(g.conversionRate)} of ${formatCount(g.pushed)}`).join(", ");
  return (
    <ChartFrame
      id="bucket-conversion"
      title="Conversion by score bucket"
      summary={`Pushed leads that became a won deal: ${summary}.`}
      table={{
        caption: "Conversion by score bucket",
        columns: ["Bucket", "Pushed", "Became opportunities", "Won leads", "Conversion"],
        rows: groups.map((g) => [g.label, formatCount(g.pushed), formatCount(g.becameOpportunities), formatCount(g.wonLeads), formatPercent(g.conversionRate)]),
      }}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 24, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="bucket" tickLine={false} axisLine={{ stroke: "#94a3b8" }} tick={{ fill: "#334155", fontSize: 13 }} />
            <YAxis unit=" %" width={44} tickLine={false} axisLine={false} tick={{ fill: "#475569", fontSize: 12 }} />
            <Tooltip formatter={(value) => [`${String(value)} %`, "Conversion"]} cursor={{ fill: "#f1f5f9" }} />
            <Bar dataKey="rate" name="Conversion" fill="#2563eb" isAnimationActive={false} radius={[3, 3, 0, 0]}>
              <LabelList dataKey="rate" position="top" formatter={(value: unknown) => `${String(value)} %`} style={{ fill: "#0f172a", fontSize: 12 }} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}

const SCOPE_NOTE = {
  tenant: "Deals of the whole workspace.",
  teams: "Deals of your teams only; pushed leads are the workspace's. Vendor spend is a workspace figure, shown to admins.",
  own: "Your own deals only; pushed leads are the workspace's. Vendor spend is a workspace figure, shown to admins.",
} as const;

function Filters({ query }: { query: SerializeFrom<typeof loader>["query"] }) {
  const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
  return (
    <Form method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label="Which runs">
      <label className="text-sm text-slate-700">
        Runs from
        <input type="month" name="from" defaultValue={query.from ?? ""} className={input} />
      </label>
      <label className="text-sm text-slate-700">
        to
        <input type="month" name="to" defaultValue={query.to ?? ""} className={input} />
      </label>
      <label className="text-sm text-slate-700">
        ICP version
        <input type="number" name="icp_version" min={1} defaultValue={query.icpVersion ?? ""} className={`${input} w-24`} />
      </label>
      <Button type="submit" variant="secondary">
        Show
      </Button>
    </Form>
  );
}

export default function LeadOutcomesPage() {
  const { outcomes, freshness, query } = useLoaderData<typeof loader>();
  const { totals, spendShown } = outcomes;
  const filtered = query.from !== undefined || query.to !== undefined || query.icpVersion !== undefined;
  const byRun: Group[] = outcomes.byRun.map((run) => ({ ...run, label: `${formatDay(run.runDate)}${run.icpVersion === null ? "" : ` · v${run.icpVersion}`}` }));
  return (
    <Page title="Lead engine outcome" description="What became of the leads the platform pushed to Odoo, and whether High really converts.">
      <CrmNav />
      <div className="mb-4">
        <DataAsOf sources={freshness} />
      </div>
      <Filters query={query} />
      {outcomes.state === "no_pushed_leads" ? (
        <EmptyState title={filtered ? "No pushed leads in these runs" : "No pushed leads yet"}>
          {filtered
            ? "None of the runs you picked pushed a lead to Odoo. Widen the months or clear the ICP version."
            : "After a run, the platform pushes its High and Medium leads to your Odoo (at once, or when an operator approves the run). Their outcome shows here once a run has pushed."}
        </EmptyState>
      ) : outcomes.state === "no_lake_sync" ? (
        <EmptyState
          title="No lake sync yet"
          action={
            <Link to="/app/data" className="text-brand-700 hover:underline">
              Open the Data page
            </Link>
          }
        >
          {formatCount(totals.pushed)} pushed leads wait for Odoo to be synced into the data lake; their opportunities and outcomes show after the first sync.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <p className="text-sm text-slate-600" data-testid="outcome-scope">
            {SCOPE_NOTE[outcomes.dealScope]}
          </p>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            <Stat label="Pushed leads" value={formatCount(totals.pushed)} />
            <Stat
              label="Became opportunities"
              value={<DealsLink count={totals.becameOpportunities} filter={{}} what="leads that became opportunities" />}
              hint={formatPercent(totals.opportunityRate)}
            />
            <Stat
              label="Won"
              value={<DealsLink count={totals.won} filter={{}} outcome="won" what="won deals" />}
              hint={`${formatPercent(totals.winRate)} win rate`}
            />
            <Stat label="Conversion" value={formatPercent(totals.conversionRate)} hint="pushed leads with a won deal" />
            <Stat label="Won value" value={formatCount(totals.wonValue)} hint={`${formatCount(totals.openValue)} still open`} />
            {spendShown ? (
              <Stat label="Spend per won deal" value={formatUsd(totals.spendPerWonDeal)} hint={`${formatUsd(totals.spendUsd)} vendor spend`} />
            ) : null}
          </dl>
          <Section id="by-bucket-chart" title="Does High convert?">
            <BucketConversionChart groups={outcomes.byBucket} />
          </Section>
          <OutcomeTable id="by-bucket" title="By score bucket" groupHeader="Bucket" groups={outcomes.byBucket} spendShown={spendShown} />
          <OutcomeTable id="by-icp" title="By ICP version" groupHeader="ICP version" groups={outcomes.byIcpVersion} spendShown={spendShown} />
          <OutcomeTable id="by-run" title="By run" groupHeader="Run" groups={byRun} spendShown={spendShown} />
        </div>
      )}
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Lead engine outcome · Nexius Leads" }];

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        400: ({ error }) => (
          <ErrorNotice
            status={400}
            title="These filters cannot be shown"
            detail={String(error.data)}
            back={{ to: "/app/lead-outcomes", label: "Show every run" }}
          />
        ),
      }}
    />
  );
}
