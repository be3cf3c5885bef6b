import { type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { type ReactNode } from "react";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { CrmNav } from "~/crm/crm-nav";
import { DataAsOf } from "~/crm/data-as-of";
import { crmFreshness } from "~/crm/data-as-of.server";
import { LeadOriginPanel } from "~/crm/lead-origin";
import { leadOriginOf } from "~/crm/lead-origin.server";
import { TIMELINE_SOURCE_LABEL } from "~/crm/opportunity-query";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { opportunityFile } from "~/lake/opportunities.server";
import { formatDay, formatWhen } from "~/utils/date-format";
import { formatCount, formatPercent } from "~/utils/number-format";

/** One deal, when the caller's place in the sales hierarchy lets them see it: 404 otherwise, as for one that does not exist. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new Response("No such opportunity", { status: 404, statusText: "Not Found" });
  const found = await withLakeAccess(viewer, async (tx, access) => {
    const deal = await opportunityFile(tx, access, id.data);
    return deal ? { deal, leadOrigin: await leadOriginOf(tx, id.data), freshness: await crmFreshness(tx) } : null;
  });
  if (!found) throw new Response("No such opportunity", { status: 404, statusText: "Not Found" });
  return found;
}

type Deal = SerializeFrom<typeof loader>["deal"];
type Entry = Deal["timeline"][number];
type Contact = Deal["contacts"][number];

const timelineColumns: DataColumn<Entry>[] = [
  { header: "When", rowHeader: true, cellClassName: "font-normal whitespace-nowrap", cell: (entry) => formatWhen(entry.at) },
  {
    header: "Activity",
    cell: (entry) => (
      <span>
        <span className="font-medium">{entry.type}</span>
        {entry.summary ? ` · ${entry.summary}` : null}
      </span>
    ),
  },
  { header: "State", cell: (entry) => <Badge tone={entry.state === "done" ? "green" : "amber"}>{entry.state}</Badge> },
  { header: "Source", cell: (entry) => (entry.source ? TIMELINE_SOURCE_LABEL[entry.source] : "—") },
  { header: "By", className: "hidden md:table-cell", cell: (entry) => entry.owner ?? "—" },
];

const contactColumns: DataColumn<Contact>[] = [
  { header: "Name", rowHeader: true, cell: (contact) => (contact.isDealContact ? `${contact.name} (deal contact)` : contact.name) },
  { header: "Job title", className: "hidden sm:table-cell", cell: (contact) => contact.jobTitle ?? "—" },
  { header: "Email", cell: (contact) => contact.email ?? "—" },
  { header: "Phone", className: "hidden md:table-cell", cell: (contact) => contact.phone ?? "—" },
];

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900">{children}</dd>
    </div>
  );
}

function AccountCard({ deal }: { deal: Deal }) {
  const account = deal.accountDetails;
  if (!account) return <p className="text-sm text-slate-600">This deal names no customer account.</p>;
  const rows: Array<[string, string | null]> = [
    ["UEN", account.uen],
    ["Website", account.website ?? account.domain],
    ["Email", account.email],
    ["Phone", account.phone],
    ["Country", account.countryCode],
    ["Tags", account.tags.join(", ") || null],
  ];
  return (
    <div>
      <p className="font-medium text-slate-900">{account.name}</p>
      <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        {rows
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label} className="flex gap-2">
              <dt className="text-slate-500">{label}</dt>
              <dd className="break-all text-slate-800">{value}</dd>
            </div>
          ))}
      </dl>
    </div>
  );
}

export default function Opportunity() {
  const { deal, leadOrigin, freshness } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  return (
    <Page
      title={deal.name}
      description={
        <>
          {deal.stage} · {deal.outcome} · {deal.owner?.name ?? "Unassigned"}
          {deal.team?.name ? ` · ${deal.team.name}` : null}
        </>
      }
      actions={
        <Link
          to={`/app/opportunities${search}`}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
        >
          Back to the list
        </Link>
      }
    >
      <CrmNav />
      <div className="mb-4">
        <DataAsOf sources={freshness} />
      </div>
      <dl className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6">
        <Figure label="Value">{formatCount(deal.value)}</Figure>
        <Figure label="Probability">{formatPercent(deal.probability / 100)}</Figure>
        <Figure label="Age in stage">{formatCount(deal.ageInStageDays)} d</Figure>
        <Figure label="Expected closing">{deal.deadline ? formatDay(deal.deadline) : "—"}</Figure>
        <Figure label="Last touch">{formatWhen(deal.lastTouchAt)}</Figure>
        <Figure label="Next activity">{deal.nextActivity ? `${formatWhen(deal.nextActivity.at)} · ${deal.nextActivity.type}` : "None planned"}</Figure>
      </dl>

      {leadOrigin ? <LeadOriginPanel origin={leadOrigin} /> : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="timeline-heading" className="lg:col-span-2">
          <h2 id="timeline-heading" className="mb-3 text-lg font-semibold text-slate-900">
            Timeline
          </h2>
          {deal.timeline.length === 0 ? (
            <EmptyState title="No activity yet">No activity in Odoo and no Outlook meeting with this deal’s contacts.</EmptyState>
          ) : (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <DataTable variant="card" columns={timelineColumns} rows={deal.timeline} rowKey={(entry) => entry.id} caption="Timeline, newest first" />
            </div>
          )}
        </section>
        <div className="space-y-6">
          <section aria-labelledby="account-heading" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="account-heading" className="mb-2 text-lg font-semibold text-slate-900">
              Account
            </h2>
            <AccountCard deal={deal} />
          </section>
          <section aria-labelledby="contacts-heading">
            <h2 id="contacts-heading" className="mb-2 text-lg font-semibold text-slate-900">
              Contacts
            </h2>
            {deal.contacts.length === 0 ? (
              <p className="text-sm text-slate-600">No contact is known for this deal.</p>
            ) : (
              <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
                <DataTable variant="card" density="compact" columns={contactColumns} rows={deal.contacts} rowKey={(contact) => contact.id} caption="Contacts" />
              </div>
            )}
          </section>
        </div>
      </div>
    </Page>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.deal.name ?? "Opportunity"} · Nexius Leads` }];

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: () => (
          <Page title="Opportunity not found">
            <EmptyState title="No such opportunity" action={<Link to="/app/opportunities">Back to the opportunities</Link>}>
              It does not exist, or it is not one of the deals you can see.
            </EmptyState>
          </Page>
        ),
      }}
    />
  );
}
