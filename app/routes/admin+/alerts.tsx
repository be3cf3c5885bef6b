import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ALERT_SEVERITIES, ALERT_STATES } from "~/alerts/alert-severity";
import { acknowledgeAlert, listPlatformAlerts, resolveAlert } from "~/alerts/platform-alerts.server";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { lastPageHref, pageParam, Pagination } from "~/components/ui/pagination";
import { Notice } from "~/dashboard/section";
import { formatWhen } from "~/utils/date-format";

const Filters = z.object({
  tenant: z.string().trim().max(100).optional().catch(undefined),
  severity: z.enum(ALERT_SEVERITIES).optional().catch(undefined),
  state: z.enum(ALERT_STATES).optional().catch(undefined),
});

/** Every workspace's alerts, for the platform's owners and operators, with acknowledge and resolve. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const url = new URL(request.url);
  const filters = Filters.parse(Object.fromEntries(url.searchParams));
  const page = pageParam(url);
  const result = await listPlatformAlerts({ ...filters, tenant: filters.tenant || undefined, page });
  if (page > result.pages) throw redirect(lastPageHref(url, result.pages));
  return { ...result, page, filtered: Boolean(filters.tenant || filters.severity || filters.state) };
}

const AlertAction = z.object({ intent: z.enum(["acknowledge", "resolve"]), alertId: z.uuid() });

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const parsed = AlertAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: "Unknown action" };
  const actor = { sub: viewer.sub, email: viewer.email };
  if (parsed.data.intent === "acknowledge") {
    const done = await acknowledgeAlert(parsed.data.alertId, actor);
    return { ok: done, message: done ? "Alert acknowledged." : "That alert was already acknowledged or resolved." };
  }
  const done = await resolveAlert(parsed.data.alertId, actor);
  return { ok: done, message: done ? "Alert resolved." : "That alert was already resolved." };
}

type AlertRow = SerializeFrom<typeof loader>["alerts"][number];

const SEVERITY_TONE: Record<string, BadgeTone> = { info: "blue", warning: "amber", critical: "red" };

function stateOf(a: AlertRow): { label: string; tone: BadgeTone; detail: string | null } {
  if (a.resolvedAt) return { label: "resolved", tone: "green", detail: `by ${a.resolvedBy ?? "the platform"}, ${formatWhen(a.resolvedAt)}` };
  if (a.acknowledgedAt) return { label: "acknowledged", tone: "amber", detail: `by ${a.acknowledgedBy}, ${formatWhen(a.acknowledgedAt)}` };
  return { label: "open", tone: "red", detail: null };
}

const columns: DataColumn<AlertRow>[] = [
  { header: "Raised", cellClassName: "whitespace-nowrap text-slate-700", cell: (a) => formatWhen(a.createdAt) },
  {
    header: "Workspace",
    cell: (a) => (
      <Link to={`/admin/tenants/${a.tenantId}`} className="text-brand-700 hover:underline">
        {a.tenantName}
      </Link>
    ),
  },
  { header: "Severity", cell: (a) => <Badge tone={SEVERITY_TONE[a.severity] ?? "gray"}>{a.severity}</Badge> },
  {
    header: "Alert",
    rowHeader: true,
    cellClassName: "font-normal",
    cell: (a) => (
      <>
        <div className="text-slate-900">{a.message}</div>
        <div className="text-xs text-slate-500">{a.kind}</div>
      </>
    ),
  },
  {
    header: "State",
    cell: (a) => {
      const state = stateOf(a);
      return (
        <>
          <Badge tone={state.tone}>{state.label}</Badge>
          {state.detail ? <div className="mt-1 text-xs text-slate-500">{state.detail}</div> : null}
        </>
      );
    },
  },
  {
    header: <span className="sr-only">Actions</span>,
    cell: (a) => (
      <div className="flex gap-2">
        {!a.acknowledgedAt && !a.resolvedAt ? <AlertButton alert={a} intent="acknowledge" label="Acknowledge" /> : null}
        {!a.resolvedAt ? <AlertButton alert={a} intent="resolve" label="Resolve" /> : null}
      </div>
    ),
  },
];

function AlertButton({ alert, intent, label }: { alert: AlertRow; intent: "acknowledge" | "resolve"; label: string }) {
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="alertId" value={alert.id} />
      <Button type="submit" variant="secondary" aria-label={`${label}: ${alert.message}`}>
        {label}
      </Button>
    </Form>
  );
}

function FilterSelect({ name, label, options }: { name: string; label: string; options: Array<{ value: string; label: string }> }) {
  const [params] = useSearchParams();
  return (
    <label className="flex flex-col text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <select name={name} defaultValue={params.get(name) ?? ""} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5">
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export default function PlatformAlerts() {
  const { alerts, total, page, pages, tenants, filtered } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  return (
    <Page
      title="Alerts"
      description={`${total} alert${total === 1 ? "" : "s"} across the workspaces`}
      actions={
        <Link to="/admin/alerts/channels" className="text-sm text-brand-700 underline">
          Alert channels
        </Link>
      }
    >
      {outcome ? <Notice ok={outcome.ok}>{outcome.message}</Notice> : null}
      <Form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3">
        <FilterSelect name="tenant" label="Workspace" options={tenants.map((t) => ({ value: t.slug, label: t.name }))} />
        <FilterSelect name="severity" label="Severity" options={ALERT_SEVERITIES.map((s) => ({ value: s, label: s }))} />
        <FilterSelect name="state" label="State" options={ALERT_STATES.map((s) => ({ value: s, label: s }))} />
        <Button type="submit">Apply</Button>
        {filtered ? (
          <Link to="/admin/alerts" className="text-sm text-slate-600 underline">
            Clear filters
          </Link>
        ) : null}
      </Form>
      {alerts.length === 0 ? (
        <EmptyState title={filtered ? "No alert matches these filters" : "No alerts"}>
          {filtered ? "Try another workspace, severity or state." : "Alerts appear here when a workspace raises one."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <DataTable variant="card" columns={columns} rows={alerts} rowKey={(a) => a.id} caption={`Alerts, page ${page} of ${pages}`} />
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Alerts · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
