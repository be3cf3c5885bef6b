import { type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
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
import { dealsHref, defaultPipelineFilters, filterParams, hrefWith, pipelineFilters, type GroupFigures, type PipelineFilters } from "~/crm/pipeline";
import { PipelineFunnel, TeamPipelineChart } from "~/crm/pipeline-charts";
import { loadPipelineDashboard } from "~/crm/pipeline.server";
import { Notice, Section } from "~/dashboard/section";
import { exportRefusal } from "~/exports/export-quota.server";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { formatCount, formatMoney, formatPercent } from "~/utils/number-format";
import { zodIssueLines } from "~/utils/zod-issues";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const now = new Date();
  const parsed = pipelineFilters(new URL(request.url).searchParams, now);
  // A hand-edited address with a bad filter shows the page unfiltered and says why, rather than an error page.
  const filters = parsed.ok ? parsed.filters : defaultPipelineFilters(now);
  const problems = parsed.ok ? [] : zodIssueLines(parsed.error, "(query)");
  const [pipeline, page, exportsRefused] = await Promise.all([
    loadPipelineDashboard(viewer, filters, now),
    withLakeAccess(viewer, async (tx, access) => ({ sources: await crmFreshness(tx, now), role: access.role })),
    exportRefusal(viewer.tenant.id),
  ]);
  return { pipeline, ...page, problems, exportsRefused };
}

type PageData = SerializeFrom<typeof loader>;
type Pipeline = PageData["pipeline"];

const linkClass = "text-brand-700 underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-500";

/** A headline figure that opens the deals behind it. */
function Figure({ label, value, href, hint, testId }: { label: string; value: string; href: string; hint?: string; testId: string }) {
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums text-slate-900">
        <Link to={href} className={linkClass} data-testid={testId}>
          {value}
        </Link>
      </dd>
      {hint ? <dd className="text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}

function Headline({ pipeline, currency }: { pipeline: Pipeline; currency: string | null }) {
  const { overview, filters } = pipeline;
  const money = (value: number) => formatMoney(value, currency);
  return (
    <dl className="grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 lg:grid-cols-4">
      <Figure
        label="Open pipeline"
        value={money(overview.openPipeline.value)}
        hint={`${formatCount(overview.openPipeline.count)} deals · weighted ${money(overview.openPipeline.weightedValue)}`}
        href={hrefWith("/app/opportunities", { outcome: "open" })}
        testId="headline-open"
      />
      <Figure
        label="Won this month"
        value={money(overview.thisMonth.wonValue)}
        hint={`${formatCount(overview.thisMonth.won)} deals · last month ${money(overview.lastMonth.wonValue)} in ${formatCount(overview.lastMonth.won)}`}
        href={hrefWith("/app/opportunities", { outcome: "won" })}
        testId="headline-won"
      />
      <Figure
        label="Win rate this month"
        value={formatPercent(overview.thisMonth.winRate)}
        hint={`last month ${formatPercent(overview.lastMonth.winRate)} · ${formatCount(overview.thisMonth.won)} won, ${formatCount(overview.thisMonth.lost)} lost`}
        href={hrefWith("/app/opportunities", { outcome: "lost" })}
        testId="headline-win-rate"
      />
      <Figure
        label="Stale deals"
        value={formatCount(overview.stale.count)}
        hint={`${money(overview.stale.value)} untouched for 30 days`}
        href={hrefWith("/app/opportunities", { outcome: "open", sort: "updated" })}
        testId="headline-stale"
      />
      <Figure
        label="Closing this month"
        value={formatCount(pipeline.closingThisMonth.count)}
        hint={money(pipeline.closingThisMonth.value)}
        href={dealsHref(filters, { closing: "this_month" }, false)}
        testId="closing-this-month"
      />
      <Figure
        label="Overdue"
        value={formatCount(pipeline.overdue.count)}
        hint={`${money(pipeline.overdue.value)} past their deadline`}
        href={dealsHref(filters, { closing: "overdue" }, false)}
        testId="overdue"
      />
      <Figure
        label="Open deals matching the filters"
        value={formatCount(pipeline.funnel.reduce((sum, s) => sum + s.count, 0))}
        hint={money(pipeline.funnel.reduce((sum, s) => sum + s.value, 0))}
        href={dealsHref(filters, { outcome: "open" })}
        testId="filtered-open"
      />
    </dl>
  );
}

function groupColumns(kind: "team" | "owner", filters: PipelineFilters, currency: string | null): DataColumn<GroupFigures>[] {
  const link = (group: GroupFigures, outcome: "open" | "won" | "lost", text: string) =>
    group.id ? (
      <Link to={dealsHref(filters, { [kind]: group.id, outcome })} className={linkClass}>
        {text}
      </Link>
    ) : (
      text
    );
  return [
    { header: kind === "team" ? "Team" : "Owner", rowHeader: true, cell: (g) => g.name ?? (kind === "team" ? "No team" : "Unassigned") },
    { header: "Open deals", align: "right", cell: (g) => link(g, "open", formatCount(g.open.count)) },
    { header: "Open value", align: "right", cell: (g) => formatMoney(g.open.value, currency) },
    { header: "Weighted", align: "right", className: "hidden sm:table-cell", cell: (g) => formatMoney(g.open.weightedValue, currency) },
    { header: "Won", align: "right", cell: (g) => link(g, "won", formatCount(g.won.count)) },
    { header: "Won value", align: "right", className: "hidden md:table-cell", cell: (g) => formatMoney(g.won.value, currency) },
    { header: "Lost", align: "right", className: "hidden sm:table-cell", cell: (g) => link(g, "lost", formatCount(g.lost.count)) },
    { header: "Win rate", align: "right", className: "hidden md:table-cell", cell: (g) => formatPercent(g.winRate) },
  ];
}

function GroupSection({
  kind,
  groups,
  filters,
  currency,
}: {
  kind: "team" | "owner";
  groups: GroupFigures[];
  filters: PipelineFilters;
  currency: string | null;
}) {
  return (
    <Section id={`pipeline-by-${kind}`} title={`By ${kind}`}>
      <div className="overflow-x-auto">
        <DataTable
          columns={groupColumns(kind, filters, currency)}
          rows={groups}
          rowKey={(g) => g.id ?? "none"}
          caption={`Deals opened in the period by ${kind}: open, won and lost`}
          empty="No deal opened in this period matches the filters."
        />
      </div>
    </Section>
  );
}

function FilterForm({ pipeline, role }: { pipeline: Pipeline; role: PageData["role"] }) {
  const { filters, options } = pipeline;
  const key = JSON.stringify(filters);
  return (
    <Form method="get" role="search" aria-label="Pipeline filters" className="mb-6 grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 lg:grid-cols-6" key={key}>
      <SelectField label="Team" selectProps={{ id: "f-team", name: "team", defaultValue: filters.team ?? "" }}>
        <option value="">All teams</option>
        {options.teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Owner" selectProps={{ id: "f-owner", name: "owner", defaultValue: filters.owner ?? "", disabled: role === "rep" }}>
        <option value="">{role === "rep" ? "You" : "Everyone"}</option>
        {options.owners.map((owner) => (
          <option key={owner.id} value={owner.id}>
            {owner.name}
          </option>
        ))}
      </SelectField>
      <Field label="Tag" inputProps={{ id: "f-tag", name: "tag", type: "text", list: "f-tag-options", defaultValue: filters.tag ?? "", maxLength: 100 }} />
      <datalist id="f-tag-options">
        {options.tags.map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
      <Field label="Opened from" inputProps={{ id: "f-from", name: "opened_from", type: "month", defaultValue: filters.openedFrom, required: true }} />
      <Field label="Opened to" inputProps={{ id: "f-to", name: "opened_to", type: "month", defaultValue: filters.openedTo, required: true }} />
      <div className="flex items-end gap-3">
        <Button type="submit">Apply</Button>
        <Link to="/app/pipeline" className="py-2 text-sm text-slate-600 underline">
          Reset
        </Link>
      </div>
    </Form>
  );
}

export default function PipelinePage() {
  const { pipeline, sources, role, problems, exportsRefused } = useLoaderData<typeof loader>();
  const { filters } = pipeline;
  const currency = pipeline.currency.mixed ? null : pipeline.currency.code;
  return (
    <Page
      title="Pipeline"
      description={
        role === "rep"
          ? "Your deals: what is open, where it stands and what is due."
          : role === "manager"
            ? "Your teams' deals: what is open, where it stands and what is due."
            : "The workspace's deals: what is open, where it stands and what is due."
      }
      actions={
        <ExportActions refusal={exportsRefused}>
          <a
            href={hrefWith("/api/export/crm/pipeline.csv", filterParams(filters))}
            download
            className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
          >
            Export CSV
          </a>
        </ExportActions>
      }
    >
      <CrmNav />
      <div className="mb-6">
        <DataAsOf sources={sources} />
      </div>
      {problems.length ? <Notice ok={false}>These filters could not be used, so the page shows the default ones: {problems.join("; ")}.</Notice> : null}
      {!pipeline.hasData ? (
        <EmptyState
          title="No deals in the lake yet"
          action={
            <Link to="/app/data" className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700">
              Open the Data page
            </Link>
          }
        >
          The pipeline fills once a sync has brought your CRM&apos;s deals into the data lake. The Data page shows each source and lets an admin sync it now.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <FilterForm pipeline={pipeline} role={role} />
          {pipeline.currency.mixed ? (
            <p className="text-sm text-amber-800" role="note">
              These deals are in more than one currency; amounts are added up as the CRM records them, without conversion.
            </p>
          ) : null}
          <Section id="pipeline-headline" title="At a glance">
            <p className="-mt-2 mb-3 text-sm text-slate-600">
              Open pipeline, wins and stale deals cover every deal you may see; closing and overdue deals follow the team, owner and tag filters, whatever month
              they opened.
            </p>
            <Headline pipeline={pipeline} currency={currency} />
          </Section>
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <Section id="pipeline-stages" title="Funnel">
              <PipelineFunnel stages={pipeline.funnel} filters={filters} currency={currency} />
            </Section>
            <Section id="pipeline-team-chart" title="Teams">
              <TeamPipelineChart teams={pipeline.byTeam} filters={filters} currency={currency} />
            </Section>
          </div>
          <GroupSection kind="team" groups={pipeline.byTeam} filters={filters} currency={currency} />
          <GroupSection kind="owner" groups={pipeline.byOwner} filters={filters} currency={currency} />
        </div>
      )}
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Pipeline · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
