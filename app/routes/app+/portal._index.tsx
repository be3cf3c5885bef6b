import { type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, statusTone } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { Section, Stat } from "~/dashboard/section";
import { portalOverview } from "~/portal/overview.server";
import { requirePortalAdmin } from "~/portal/portal-access.server";
import { PortalErrorBoundary } from "~/portal/portal-error-boundary";
import { runbookPath } from "~/support/runbooks";
import { ODOO_MODE_LABELS } from "~/tenants/tenant-wizard";
import { formatDate, formatWhen } from "~/utils/date-format";

/** The portal's Overview: the workspace, its plan and seats, and what the platform did to it lately. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePortalAdmin(request);
  return portalOverview(viewer.tenant.id);
}

/** How the workspace's Odoo is laid out, in the customer's words (the connection's mode, or the wizard's choice before one exists). */
const ODOO_LAYOUTS: Record<string, string> = {
  company_per_tenant: ODOO_MODE_LABELS.shared_db,
  ...ODOO_MODE_LABELS,
};

type Operation = SerializeFrom<typeof loader>["operations"][number];

const operationColumns: DataColumn<Operation>[] = [
  { header: "When", cellClassName: "whitespace-nowrap text-slate-600", cell: (op) => formatWhen(op.createdAt) },
  { header: "Operation", cellClassName: "capitalize", cell: (op) => op.type.replace("_", " ") },
  { header: "Status", cell: (op) => <Badge tone={statusTone(op.status)}>{op.status}</Badge> },
  { header: "Finished", cellClassName: "whitespace-nowrap text-slate-600", cell: (op) => (op.finishedAt ? formatWhen(op.finishedAt) : "—") },
  {
    header: "Failed step",
    cell: (op) =>
      op.failedStep ? (
        <Link to={runbookPath(op.failedStep)} className="text-brand-700 hover:underline">
          {op.failedStep}
        </Link>
      ) : (
        ""
      ),
  },
];

export default function PortalOverview() {
  const { workspace, odoo, plan, seats, operations } = useLoaderData<typeof loader>();
  const odooLayout = odoo ? ODOO_LAYOUTS[odoo.mode] : workspace.odooMode ? ODOO_LAYOUTS[workspace.odooMode] : null;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Section id="portal-workspace" title="Workspace">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-slate-500">Name</dt>
          <dd>{workspace.name}</dd>
          <dt className="text-slate-500">Slug</dt>
          <dd className="font-mono text-xs">{workspace.slug}</dd>
          <dt className="text-slate-500">Status</dt>
          <dd>
            <Badge tone={statusTone(workspace.status)}>{workspace.status}</Badge>
          </dd>
          <dt className="text-slate-500">Region</dt>
          <dd>{workspace.region ?? "—"}</dd>
          <dt className="text-slate-500">Odoo</dt>
          <dd className="break-all">
            {odoo ? (
              <a href={odoo.url} target="_blank" rel="noreferrer" className="text-brand-700 hover:underline">
                {odoo.url}
              </a>
            ) : (
              "Not set up yet"
            )}
          </dd>
          <dt className="text-slate-500">Odoo layout</dt>
          <dd>{odooLayout ?? "—"}</dd>
          <dt className="text-slate-500">Created</dt>
          <dd>{formatDate(workspace.createdAt)}</dd>
        </dl>
      </Section>
      <Section id="portal-plan" title="Plan and seats">
        <p className="text-sm">
          <span className="text-lg font-semibold text-slate-900" data-testid="portal-plan">
            {plan.name}
          </span>{" "}
          <span className="text-slate-500">({plan.code})</span>
        </p>
        {plan.description ? <p className="mt-1 text-sm text-slate-600">{plan.description}</p> : null}
        <dl className="mt-4 grid grid-cols-2 gap-3">
          <Stat label="Seats in use" value={seats.inUse} hint="members who have signed in" />
          <Stat label="Admins" value={seats.admins} />
        </dl>
        {plan.limits.length ? (
          <dl className="mt-4 grid grid-cols-2 gap-x-3 gap-y-1 text-sm" aria-label="The plan's limits">
            {plan.limits.map((l) => (
              <div key={l.key} className="contents">
                <dt className="text-slate-500">{l.label}</dt>
                <dd className="text-slate-900">{l.limit === null ? "unlimited" : l.limit.toLocaleString("en-SG")}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </Section>
      <Section id="portal-operations" title="Recent operations on your workspace" className="lg:col-span-2">
        {operations.length === 0 ? (
          <p className="text-sm text-slate-600">The platform has not run any operation on your workspace yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <DataTable columns={operationColumns} rows={operations} rowKey={(op) => op.id} caption="Recent operations" />
          </div>
        )}
      </Section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Tenant portal · Nexius Leads" }];

export const ErrorBoundary = PortalErrorBoundary;
