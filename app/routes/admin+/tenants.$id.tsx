import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { type ReactNode } from "react";
import { z } from "zod";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { InvoiceTable } from "~/billing/billing-ui";
import { formatCents } from "~/billing/invoice";
import { tenantBilling } from "~/billing/tenant-billing.server";
import { requestBundleApply } from "~/catalog/bundles.server";
import { TenantModules } from "~/catalog/tenant-modules";
import { tenantModulesTab } from "~/catalog/tenant-modules.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { invariantFound } from "~/http.server";
import { ARTIFACTS } from "~/infra/artifacts";
import { upgradeRefusal } from "~/infra/image-upgrade.server";
import { tenantInfra } from "~/infra/templates.server";
import { log } from "~/logger.server";
import { runbookPath } from "~/support/runbooks";
import { SupportHandling } from "~/support/support-handling";
import { SupportRequestCard } from "~/support/support-request-list";
import { unsafeAllSupportRequests } from "~/support/support-requests.server";
import { LOG_EVENTS_CAP, logRange, tenantDetail, tenantLogs } from "~/tenants/admin.server";
import { BackupsSection } from "~/tenants/backups-section";
import { ConfirmPopover } from "~/tenants/confirm-popover";
import { cancelDecommission } from "~/tenants/decommission.server";
import { PROVISIONING_PHASES } from "~/tenants/lifecycle";
import { useLiveRefresh } from "~/tenants/live-refresh";
import { backupRefusal } from "~/tenants/odoo-backups.server";
import { NoOdooConnectionError, rotateOdooCredential, verifyOdooConnection } from "~/tenants/odoo-credential.server";
import { OperationPanel } from "~/tenants/operation-panel";
import { mayStart, OPERATION_IMPACTS, WORKSPACE_ACTIONS, type OperationType, type WorkspaceAction } from "~/tenants/operations";
import { operationDetail, requestOperation, rerunOperation } from "~/tenants/operations.server";
import { requestProvisioning } from "~/tenants/provisioning.server";
import { tenantFiles } from "~/tenants/tenant-files.server";
import { ODOO_MODE_LABELS, SSO_MODE_LABELS } from "~/tenants/tenant-wizard";
import { formatWhenWithSeconds, isoDay } from "~/utils/date-format";
import { withSearchParams } from "~/utils/search-params";

/** The seed's tabs; SSO and Analytics have their own pages, and Billing's changes are made on the tenant's billing page. */
const TABS = ["overview", "modules", "infra", "billing", "logs"] as const;
type Tab = (typeof TABS)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const id = z.uuid().safeParse(params.id);
  const detail = id.success ? await tenantDetail(id.data) : null;
  invariantFound(detail, "No such tenant");
  const url = new URL(request.url);
  const tab: Tab = TABS.find((t) => t === url.searchParams.get("tab")) ?? "overview";
  const range = logRange(url);
  const logs = await tenantLogs(detail.tenant.id, tab === "logs" ? range : { from: new Date(Date.now() - 30 * 86_400_000), to: new Date() });
  const openOperationId = z.uuid().safeParse(url.searchParams.get("operation"));
  const openOperation = openOperationId.success ? await operationDetail(openOperationId.data) : null;
  const files = await tenantFiles(detail.tenant.id, ["export", "receipt", "backup"]);
  return {
    ...detail,
    files,
    backupUnavailable: await backupRefusal(detail.tenant.id),
    tab,
    range: { from: isoDay(range.from), to: isoDay(new Date(range.to.getTime() - 1)) },
    logs: tab === "logs" ? logs : { ...logs, audit: logs.audit.slice(0, 10), operations: logs.operations.slice(0, 10) },
    openOperation: openOperation?.tenantId === detail.tenant.id ? openOperation : null,
    modules: tab === "modules" ? await tenantModulesTab(detail.tenant.id) : null,
    infra: tab === "infra" ? await infraTab(detail.tenant.id) : null,
    billing: tab === "billing" ? await tenantBilling(detail.tenant.id) : null,
    support: tab === "overview" ? await unsafeAllSupportRequests({ tenantId: detail.tenant.id }, 1) : null,
    roles: viewer.roles,
    graceDays: env().DECOMMISSION_GRACE_DAYS,
    // Whether the owner may still stop the decommission: the workspace waits out its grace period.
    cancellable: detail.tenant.status === "decommissioning" && detail.tenant.purgeAfter !== null && detail.tenant.purgeAfter.getTime() > Date.now(),
    phases: PROVISIONING_PHASES,
    cap: LOG_EVENTS_CAP,
  };
}

/** The Infra tab: the template the tenant runs, its artifacts, and the versions an upgrade may take (tested ones only). */
async function infraTab(tenantId: string) {
  const infra = await tenantInfra(tenantId);
  if (!infra) return null;
  return { ...infra, artifacts: Object.keys(ARTIFACTS) };
}

const TenantAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("verify") }),
  z.object({ intent: z.literal("rotate") }),
  z.object({ intent: z.literal("retry") }),
  z.object({ intent: z.enum([...WORKSPACE_ACTIONS, "backup"]) }),
  z.object({ intent: z.literal("decommission"), confirmSlug: z.string() }),
  z.object({ intent: z.literal("restore"), backupId: z.uuid() }),
  z.object({ intent: z.literal("rerun"), operationId: z.uuid() }),
  z.object({ intent: z.literal("apply_bundle"), bundle: z.string().min(1) }),
  z.object({ intent: z.literal("upgrade_image"), templateId: z.uuid() }),
  z.object({ intent: z.literal("cancel_decommission") }),
]);

type ActionResult = { ok: boolean; intent: z.infer<typeof TenantAction>["intent"] | null; message: string; operationId?: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const parsedId = z.uuid().safeParse(params.id);
  const tenant = parsedId.success ? await platformDb.tenant.findUnique({ where: { id: parsedId.data }, select: { id: true } }) : null;
  invariantFound(tenant, "No such tenant");
  const id = tenant.id;
  const parsed = TenantAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, intent: null, message: "Unknown action" };
  const actor = { sub: viewer.sub, email: viewer.email };
  const input = parsed.data;
  switch (input.intent) {
    case "verify": {
      requireRole(request, viewer, ["platform_owner", "platform_operator"]);
      const result = await verifyOdooConnection(id, actor);
      return {
        ok: result.ok,
        intent: "verify",
        message: result.ok ? `Odoo answered in ${result.latency_ms} ms (${result.server_version}).` : `Odoo check failed: ${result.error}`,
      };
    }
    case "rotate": {
      requireRole(request, viewer, ["platform_owner"]);
      try {
        await rotateOdooCredential(id, actor);
        return { ok: true, intent: "rotate", message: "A new service credential is in place and was verified." };
      } catch (error) {
        log().error({ err: error, tenantId: id }, "rotation failed");
        const message = error instanceof NoOdooConnectionError ? error.message : "Odoo did not accept the new credential; the old one is still in use.";
        return { ok: false, intent: "rotate", message };
      }
    }
    case "retry": {
      requireRole(request, viewer, ["platform_owner", "platform_operator"]);
      await requestProvisioning(id, actor, { mode: "retry" });
      return { ok: true, intent: "retry", message: "Provisioning queued; it resumes at the phase that failed." };
    }
    case "pause":
    case "resume":
    case "rebuild":
    case "backup":
    case "restore":
    case "decommission": {
      requireRole(request, viewer, input.intent === "decommission" ? ["platform_owner"] : ["platform_owner", "platform_operator"]);
      if (input.intent === "decommission") {
        const { slug } = await platformDb.tenant.findUniqueOrThrow({ where: { id }, select: { slug: true } });
        if (input.confirmSlug.trim() !== slug) return { ok: false, intent: "decommission", message: `Type the workspace's slug (${slug}) to confirm.` };
      }
      if (input.intent === "backup" || input.intent === "restore") {
        const refused = await backupRefusal(id);
        if (refused) return { ok: false, intent: input.intent, message: refused };
      }
      const payload = input.intent === "restore" ? { backupId: input.backupId } : undefined;
      const result = await requestOperation(id, { type: input.intent, source: "ui", actor, payload });
      if (!result.ok) return { ok: false, intent: input.intent, message: result.reason };
      return { ok: true, intent: input.intent, message: `${operationLabel(input.intent)} queued; follow it below.`, operationId: result.operationId };
    }
    case "apply_bundle": {
      requireRole(request, viewer, ["platform_owner", "platform_operator"]);
      const result = await requestBundleApply(id, { bundle: input.bundle, source: "ui", actor });
      if (!result.ok) return { ok: false, intent: "apply_bundle", message: result.reason };
      return { ok: true, intent: "apply_bundle", message: `Applying ${input.bundle} queued; follow it below.`, operationId: result.operationId };
    }
    case "cancel_decommission": {
      requireRole(request, viewer, ["platform_owner"]);
      const result = await cancelDecommission(id, actor);
      return result.ok
        ? { ok: true, intent: "cancel_decommission", message: `Decommission cancelled: the workspace is ${result.status} again and nothing was deleted.` }
        : { ok: false, intent: "cancel_decommission", message: result.reason };
    }
    case "upgrade_image": {
      requireRole(request, viewer, ["platform_owner", "platform_operator"]);
      const refused = await upgradeRefusal(input.templateId);
      if (refused) return { ok: false, intent: "upgrade_image", message: refused };
      const result = await requestOperation(id, { type: "upgrade_image", source: "ui", actor, payload: { params: { templateId: input.templateId } } });
      if (!result.ok) return { ok: false, intent: "upgrade_image", message: result.reason };
      return { ok: true, intent: "upgrade_image", message: "Image upgrade queued; follow it below.", operationId: result.operationId };
    }
    case "rerun": {
      requireRole(request, viewer, ["platform_owner", "platform_operator"]);
      const operation = await platformDb.tenantOperation.findFirst({ where: { id: input.operationId, tenantId: id }, select: { id: true } });
      invariantFound(operation, "No such operation");
      const result = await rerunOperation(operation.id, actor, "ui");
      return result.ok
        ? { ok: true, intent: "rerun", message: "Operation queued again; it resumes at the step that failed.", operationId: result.operationId }
        : { ok: false, intent: "rerun", message: result.reason };
    }
  }
}

const OPERATION_LABELS: Record<OperationType, string> = {
  create: "Create",
  upgrade_image: "Upgrade image",
  module_apply: "Apply bundle",
  pause: "Pause",
  resume: "Resume",
  rebuild: "Rebuild",
  decommission: "Decommission",
  backup: "Backup",
  restore: "Restore",
};

function operationLabel(type: OperationType): string {
  return OPERATION_LABELS[type];
}

type LoaderData = SerializeFrom<typeof loader>;
type AuditRow = LoaderData["logs"]["audit"][number];
type OperationRow = LoaderData["logs"]["operations"][number];

const auditColumns: DataColumn<AuditRow>[] = [
  { header: "When", cellClassName: "whitespace-nowrap text-slate-600", cell: (entry) => formatWhenWithSeconds(entry.createdAt) },
  { header: "Who", cell: (entry) => entry.actorEmail ?? entry.actorSub ?? "system" },
  { header: "Action", cellClassName: "font-mono text-xs", cell: (entry) => entry.action },
  { header: "Target", cell: (entry) => entry.target ?? "" },
];

function operationColumns(search: string): DataColumn<OperationRow>[] {
  return [
    { header: "When", cellClassName: "whitespace-nowrap text-slate-600", cell: (op) => formatWhenWithSeconds(op.createdAt) },
    {
      header: "Operation",
      cell: (op) => (
        <Link to={withSearchParams(search, { operation: op.id })} className="font-medium capitalize text-brand-700 hover:underline">
          {op.type}
        </Link>
      ),
    },
    { header: "Status", cell: (op) => <Badge tone={statusTone(op.status)}>{op.status}</Badge> },
    { header: "From", cellClassName: "uppercase text-slate-600", cell: (op) => op.triggerSource },
    { header: "By", cell: (op) => op.actorEmail ?? "system" },
    { header: "Failed step", cell: (op) => op.failedStep ?? "" },
  ];
}

type Timing = { startedAt?: string; finishedAt?: string; ms?: number };

export default function TenantDetail() {
  const data = useLoaderData<typeof loader>();
  const { tenant, roles, tab } = data;
  const result = useActionData<typeof action>();
  const canOperate = roles.includes("platform_owner") || roles.includes("platform_operator");
  useLiveRefresh(data.logs.operations.some((op) => op.status === "queued" || op.status === "running"));
  const odooUrl = tenant.odooConnection
    ? `${tenant.odooConnection.baseUrl.replace(/\/$/, "")}/web/login?db=${encodeURIComponent(tenant.odooConnection.database)}`
    : null;

  return (
    <Page
      title={tenant.name}
      description={
        <span className="flex items-center gap-2">
          <span>{tenant.slug}</span> <Badge tone={statusTone(tenant.status)}>{tenant.status}</Badge>
        </span>
      }
      actions={
        <>
          {canOperate ? WORKSPACE_ACTIONS.filter((type) => mayStart(type, tenant.status)).map((type) => <OperationConfirm key={type} type={type} />) : null}
          {roles.includes("platform_owner") && mayStart("decommission", tenant.status) ? <DecommissionConfirm slug={tenant.slug} /> : null}
          {roles.includes("platform_owner") && data.cancellable ? <CancelDecommissionConfirm /> : null}
          {odooUrl ? (
            <a
              href={odooUrl}
              target="_blank"
              rel="noreferrer"
              className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-700"
            >
              Open Odoo
            </a>
          ) : null}
        </>
      }
    >
      <p className="mb-4 flex gap-4 text-sm">
        <Link to="/admin/tenants" className="text-brand-700 hover:underline">
          ← All tenants
        </Link>
        <Link to={`/admin/tenants/${tenant.id}/privacy`} className="text-brand-700 hover:underline">
          Data-subject requests
        </Link>
      </p>
      {result ? (
        <p
          role="status"
          className={`mb-6 rounded-md border p-3 text-sm ${result.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-900"}`}
        >
          {result.message}
        </p>
      ) : null}
      {data.failedOperation ? <FailedOperationNotice operation={data.failedOperation} /> : null}

      <nav aria-label="Tenant sections" className="mb-6 flex gap-1 border-b border-slate-200 text-sm">
        {TABS.map((t) => (
          <Link
            key={t}
            to={t === "overview" ? "?" : `?tab=${t}`}
            aria-current={tab === t ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 capitalize ${tab === t ? "border-brand-600 font-medium text-brand-700" : "border-transparent text-slate-600"}`}
          >
            {t}
          </Link>
        ))}
        <Link to={`/admin/tenants/${tenant.id}/sso`} className="-mb-px border-b-2 border-transparent px-3 py-2 text-slate-600">
          SSO
        </Link>
        <Link to={`/admin/tenants/${tenant.id}/analytics`} className="-mb-px border-b-2 border-transparent px-3 py-2 text-slate-600">
          Analytics
        </Link>
      </nav>

      {data.openOperation ? (
        <aside className="mb-6 rounded-lg border border-slate-200 bg-white p-5">
          <OperationPanel operation={data.openOperation} canRerun={canOperate} rerunAction={`/admin/tenants/${tenant.id}`} />
        </aside>
      ) : null}

      {tab === "overview" ? <OverviewTab /> : null}
      {tab === "modules" && data.modules ? <TenantModules {...data.modules} canApply={canOperate} /> : null}
      {tab === "infra" ? <InfraTab /> : null}
      {tab === "billing" && data.billing ? <BillingTab billing={data.billing} /> : null}
      {tab === "logs" ? <LogsTab /> : null}
    </Page>
  );
}

/** The action's confirmation: what it does to the workspace, before anything happens. */
function OperationConfirm({ type }: { type: WorkspaceAction }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === type;
  const { title, impact } = OPERATION_IMPACTS[type];
  return (
    <ConfirmPopover label={operationLabel(type)} title={title} impact={impact} danger={type === "pause"}>
      <Form method="post">
        <input type="hidden" name="intent" value={type} />
        <Button type="submit" variant={type === "pause" ? "danger" : "primary"} disabled={busy}>
          {busy ? "Working…" : `Confirm ${type}`}
        </Button>
      </Form>
    </ConfirmPopover>
  );
}

/** Decommissioning deletes a workspace for good: the owner reads what goes and types the slug to confirm. */
function DecommissionConfirm({ slug }: { slug: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "decommission";
  const { title, impact } = OPERATION_IMPACTS.decommission;
  const { graceDays } = useLoaderData<typeof loader>();
  return (
    <ConfirmPopover
      label="Decommission"
      title={title}
      danger
      wide
      impact={
        <>
          <p>{impact}</p>
          <p className="mt-2 font-medium text-red-800">The grace period is {graceDays} days: after it, nothing can bring the workspace back.</p>
        </>
      }
    >
      <Form method="post" className="space-y-2">
        <input type="hidden" name="intent" value="decommission" />
        <label className="block">
          <span className="font-medium text-slate-700">Type {slug} to confirm</span>
          <input name="confirmSlug" autoComplete="off" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5" />
        </label>
        <Button type="submit" variant="danger" disabled={busy}>
          {busy ? "Working…" : "Confirm decommission"}
        </Button>
      </Form>
    </ConfirmPopover>
  );
}

/** Until its grace period ends, the owner may stop a decommission: the workspace reopens with everything it had. */
function CancelDecommissionConfirm() {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "cancel_decommission";
  const { tenant } = useLoaderData<typeof loader>();
  return (
    <ConfirmPopover
      label="Cancel decommission"
      title="Cancel this decommission?"
      impact={
        <p>
          Nothing has been deleted yet: the workspace reopens as it was before, its users can sign in again and the nightly run resumes. The export already
          taken stays downloadable. This is possible until {tenant.purgeAfter ? formatWhenWithSeconds(tenant.purgeAfter) : "the grace period ends"}.
        </p>
      }
    >
      <Form method="post">
        <input type="hidden" name="intent" value="cancel_decommission" />
        <Button type="submit" disabled={busy}>
          {busy ? "Working…" : "Confirm: keep the workspace"}
        </Button>
      </Form>
    </ConfirmPopover>
  );
}

/** The decommission's export (downloadable during the grace period and after) and its deletion receipt. */
function DecommissionFiles() {
  const { tenant, files } = useLoaderData<typeof loader>();
  const kept = files.filter((f) => f.kind === "export" || f.kind === "receipt");
  if (kept.length === 0 && !tenant.purgeAfter) return null;
  return (
    <section className="rounded-lg border border-red-200 bg-white p-5 lg:col-span-2" aria-labelledby="decommission">
      <h2 id="decommission" className="font-semibold">
        Decommission
      </h2>
      {tenant.purgeAfter ? (
        <p className="mt-2 text-sm text-slate-700">
          {tenant.status === "decommissioned" ? "Its data was purged after" : "Its data is purged for good after"} {formatWhenWithSeconds(tenant.purgeAfter)}.
        </p>
      ) : null}
      <ul className="mt-3 space-y-1 text-sm">
        {kept.map((file) => (
          <li key={file.id}>
            <a href={`/admin/tenants/${tenant.id}/files/${file.id}`} download className="font-medium text-brand-700 hover:underline">
              {file.kind === "export" ? "Download the export" : "Download the deletion receipt"}
            </a>{" "}
            <span className="text-slate-500">({file.filename})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function FailedOperationNotice({ operation }: { operation: NonNullable<LoaderData["failedOperation"]> }) {
  return (
    <section role="alert" className="mb-6 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-semibold">
        The last {operation.type} failed at step {operation.failedStep}
      </p>
      <p className="mt-1">{operation.error}</p>
      <p className="mt-2 flex gap-4">
        <Link to={`?tab=logs&operation=${operation.id}`} className="font-medium underline">
          Log and re-run
        </Link>
        {operation.failedStep ? (
          <Link to={runbookPath(operation.failedStep)} className="font-medium underline">
            Runbook
          </Link>
        ) : null}
      </p>
    </section>
  );
}

function OverviewTab() {
  const { tenant, phases, roles, logs, files, backupUnavailable } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const canOperate = roles.includes("platform_owner") || roles.includes("platform_operator");
  const timings = (tenant.onboardingStatus?.timings ?? {}) as Record<string, Timing>;
  const onboarding = tenant.onboardingStatus;
  const actionButton = (intent: string, label: string, variant: "primary" | "secondary" = "secondary") => (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button type="submit" variant={variant} disabled={Boolean(busy)}>
        {busy === intent ? "Working…" : label}
      </Button>
    </Form>
  );
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="overview">
        <h2 id="overview" className="font-semibold">
          Overview
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-y-2 text-sm">
          <dt className="text-slate-500">Plan</dt>
          <dd>{tenant.plan}</dd>
          <dt className="text-slate-500">Region</dt>
          <dd>{tenant.region ?? "—"}</dd>
          <dt className="text-slate-500">Agency group</dt>
          <dd>{tenant.agencyGroup ?? "—"}</dd>
          <dt className="text-slate-500">Members</dt>
          <dd>{tenant._count.members}</dd>
          <dt className="text-slate-500">Created</dt>
          <dd>{formatWhenWithSeconds(tenant.createdAt)}</dd>
          <dt className="text-slate-500">Sign-up</dt>
          <dd>{tenant.ownerSub ? "Self-serve" : tenant.odooMode ? "Created by a platform owner" : "From the identity provider's tenant"}</dd>
          {tenant.odooMode ? (
            <>
              <dt className="text-slate-500">Bundle</dt>
              <dd>{tenant.bundleCode ?? "—"}</dd>
              <dt className="text-slate-500">Odoo · size</dt>
              <dd>
                {ODOO_MODE_LABELS[tenant.odooMode as keyof typeof ODOO_MODE_LABELS] ?? tenant.odooMode} · {tenant.sizeProfile ?? "—"}
              </dd>
              <dt className="text-slate-500">Sign-in</dt>
              <dd>{SSO_MODE_LABELS[tenant.ssoMode as keyof typeof SSO_MODE_LABELS] ?? "—"}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="provisioning">
        <div className="flex items-center justify-between">
          <h2 id="provisioning" className="font-semibold">
            Provisioning
          </h2>
          {onboarding ? <Badge tone={statusTone(onboarding.status)}>{onboarding.status}</Badge> : null}
        </div>
        <ol className="mt-3 space-y-1 text-sm">
          {phases.map((phase) => {
            const t = timings[phase];
            return (
              <li key={phase} className="flex justify-between">
                <span className={t?.finishedAt ? "text-slate-900" : "text-slate-400"}>{phase}</span>
                <span className="text-slate-500">{t?.ms !== undefined ? `${t.ms} ms` : onboarding?.phase === phase ? onboarding.status : "—"}</span>
              </li>
            );
          })}
        </ol>
        {onboarding?.error ? <p className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-900">{onboarding.error}</p> : null}
        <p className="mt-2 text-xs text-slate-500">Attempts: {onboarding?.attempts ?? 0}</p>
        {canOperate && onboarding?.status === "error" ? <div className="mt-3">{actionButton("retry", "Retry provisioning", "primary")}</div> : null}
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-2" aria-labelledby="odoo">
        <h2 id="odoo" className="font-semibold">
          Odoo connection
        </h2>
        {tenant.odooConnection ? (
          <>
            <dl className="mt-3 grid grid-cols-2 gap-y-2 text-sm sm:grid-cols-4">
              <dt className="text-slate-500">URL</dt>
              <dd className="truncate">{tenant.odooConnection.baseUrl}</dd>
              <dt className="text-slate-500">Database</dt>
              <dd>{tenant.odooConnection.database}</dd>
              <dt className="text-slate-500">Mode</dt>
              <dd>{tenant.odooConnection.mode}</dd>
              <dt className="text-slate-500">Company id</dt>
              <dd>{tenant.odooConnection.companyId ?? "—"}</dd>
              <dt className="text-slate-500">Service login</dt>
              <dd>{tenant.odooConnection.login}</dd>
              <dt className="text-slate-500">Last verified</dt>
              <dd>{tenant.odooConnection.lastVerifiedAt ? formatWhenWithSeconds(tenant.odooConnection.lastVerifiedAt) : "never"}</dd>
            </dl>
            {canOperate ? (
              <div className="mt-4 flex gap-2">
                {actionButton("verify", "Verify now")}
                {roles.includes("platform_owner") ? actionButton("rotate", "Rotate credential") : null}
              </div>
            ) : null}
          </>
        ) : (
          <p className="mt-3 text-sm text-slate-600">Not created yet: provisioning creates it.</p>
        )}
      </section>

      <DecommissionFiles />
      <BackupsSection
        tenantId={tenant.id}
        backups={files.filter((f) => f.kind === "backup")}
        unavailable={backupUnavailable}
        canOperate={canOperate && mayStart("backup", tenant.status)}
        busy={Boolean(busy)}
      />

      <LogSection
        id="recent-operations"
        title="Recent operations"
        empty="No operation in the last 30 days."
        rows={logs.operations}
        columns={operationColumns(search.toString())}
        rowKey={(op) => op.id}
      />

      <TenantSupportRequests />

      <LogSection id="audit" title="Audit log" empty="Nothing recorded yet." rows={logs.audit} columns={auditColumns} rowKey={(entry) => String(entry.id)}>
        <p className="mt-2 text-sm">
          <Link to="?tab=logs" className="text-brand-700 hover:underline">
            All logs
          </Link>
        </p>
      </LogSection>
    </div>
  );
}

function InfraTab() {
  const { tenant, infra, roles } = useLoaderData<typeof loader>();
  const canOperate = roles.includes("platform_owner") || roles.includes("platform_operator");
  if (!infra) return null;
  const { template } = infra;
  const tested = infra.candidates.filter((c) => c.tested);
  const untested = infra.candidates.filter((c) => !c.tested);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="infra">
        <h2 id="infra" className="font-semibold">
          Deployment
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-y-2 text-sm">
          <dt className="text-slate-500">Region</dt>
          <dd>{tenant.region ?? "—"}</dd>
          <dt className="text-slate-500">Odoo mode</dt>
          <dd>{tenant.odooMode ? (ODOO_MODE_LABELS[tenant.odooMode as keyof typeof ODOO_MODE_LABELS] ?? tenant.odooMode) : "—"}</dd>
          <dt className="text-slate-500">Template</dt>
          <dd>
            {template ? (
              <Link to="/admin/infra/templates" className="text-brand-700 hover:underline">
                {template.name} v{template.version}
              </Link>
            ) : (
              "none yet"
            )}
          </dd>
          <dt className="text-slate-500">Odoo image tag</dt>
          <dd className="font-mono text-xs">{infra.tenant.imageTag ?? "—"}</dd>
          <dt className="text-slate-500">Postgres image</dt>
          <dd className="font-mono text-xs">{template?.postgresImage ?? "—"}</dd>
          <dt className="text-slate-500">Size profile</dt>
          <dd>{template?.sizeProfile ?? tenant.sizeProfile ?? "—"}</dd>
        </dl>
        <h3 className="mt-5 text-sm font-semibold">Deployment artifacts</h3>
        {template ? (
          <ul className="mt-2 space-y-1 text-sm">
            {infra.artifacts.map((file) => (
              <li key={file}>
                <a href={`/admin/tenants/${tenant.id}/infra/${file}`} download className="text-brand-700 hover:underline">
                  Download {file}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-600">Artifacts are generated once an infra template exists.</p>
        )}
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="upgrade">
        <h2 id="upgrade" className="font-semibold">
          Image upgrade
        </h2>
        {tested.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">
            No newer tested version of {template ? `${template.name}` : "a template"} to move to.
            {untested.length ? ` ${untested.map((c) => `v${c.version}`).join(", ")} ${untested.length === 1 ? "awaits" : "await"} testing.` : ""}
          </p>
        ) : canOperate ? (
          <ImageUpgradeForm candidates={tested} />
        ) : (
          <p className="mt-2 text-sm text-slate-600">Newer tested versions exist; an operator can roll them out.</p>
        )}
      </section>
    </div>
  );
}

function ImageUpgradeForm({ candidates }: { candidates: Array<{ id: string; name: string; version: number; odooImage: string }> }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "upgrade_image";
  const impact = OPERATION_IMPACTS.upgrade_image;
  return (
    <Form method="post" className="mt-3 space-y-3">
      <input type="hidden" name="intent" value="upgrade_image" />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Move to</legend>
        <div className="mt-1 space-y-1 text-sm">
          {candidates.map((c, index) => (
            <label key={c.id} className="flex items-center gap-2">
              <input type="radio" name="templateId" value={c.id} defaultChecked={index === 0} required />
              {c.name} v{c.version} <span className="font-mono text-xs text-slate-600">{c.odooImage}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <ConfirmPopover label="Upgrade image" title={impact.title} impact={impact.impact}>
        <Button type="submit" disabled={busy}>
          {busy ? "Working…" : "Confirm upgrade"}
        </Button>
      </ConfirmPopover>
    </Form>
  );
}

/** The tenant's support requests from its portal, newest first, handled here or in the operators' queue. */
function TenantSupportRequests() {
  const { tenant, support } = useLoaderData<typeof loader>();
  if (!support) return null;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-2" aria-labelledby="support-requests">
      <h2 id="support-requests" className="font-semibold">
        Support requests
      </h2>
      {support.requests.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">None filed from the tenant portal.</p>
      ) : (
        <div className="mt-3 space-y-3">
          {support.requests.map((r) => (
            <SupportRequestCard key={r.id} request={r}>
              <SupportHandling request={r} tenantId={tenant.id} back="tenant" />
            </SupportRequestCard>
          ))}
        </div>
      )}
      <p className="mt-3 text-sm">
        <Link to={`/admin/support-requests?tenant=${tenant.id}`} className="text-brand-700 hover:underline">
          {support.total > support.requests.length ? `All ${support.total} requests` : "In the support queue"}
        </Link>
      </p>
    </section>
  );
}

/** The Billing tab: plan, this month's usage and the latest invoices; changes happen on the tenant's billing page. */
function BillingTab({ billing }: { billing: NonNullable<SerializeFrom<typeof loader>["billing"]> }) {
  const { plan, monthToDate } = billing;
  return (
    <div className="space-y-6">
      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 className="text-base font-semibold text-slate-900">Plan: {plan?.name ?? billing.tenant.plan}</h2>
            {plan ? (
              <p className="mt-1 text-sm text-slate-600">
                {formatCents(plan.monthlyPriceCents, plan.currency)} a month, {formatCents(plan.pricePerCompanyCents, plan.currency)} per company enriched. Next
                invoice drafted {billing.nextInvoiceDate}.
              </p>
            ) : null}
          </div>
          <Link to={`/admin/billing/tenants/${billing.tenant.id}`} className="text-sm font-medium text-brand-700 hover:underline">
            Open billing
          </Link>
        </div>
        <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
          {[
            ["Runs this month", monthToDate.runs],
            ["Companies enriched", monthToDate.companiesEnriched],
            ["Vendor calls", monthToDate.vendorCalls],
            ["Exports", monthToDate.exports],
          ].map(([label, value]) => (
            <div key={label}>
              <dt className="text-slate-500">{label}</dt>
              <dd className="tabular-nums text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      {billing.invoices.length === 0 ? (
        <EmptyState title="No invoices yet" />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <InvoiceTable
            invoices={billing.invoices.slice(0, 6)}
            showTenant={false}
            hrefFor={(i) => `/admin/billing/invoices/${i.tenantId}/${i.id}`}
            caption="Latest invoices"
          />
        </div>
      )}
    </div>
  );
}

function LogsTab() {
  const { logs, range, cap } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <div className="space-y-6">
      <Form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <input type="hidden" name="tab" value="logs" />
        <label className="flex flex-col">
          <span className="font-medium text-slate-700">From</span>
          <input type="date" name="from" defaultValue={range.from} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5" />
        </label>
        <label className="flex flex-col">
          <span className="font-medium text-slate-700">To</span>
          <input type="date" name="to" defaultValue={range.to} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5" />
        </label>
        <Button type="submit">Show</Button>
      </Form>
      {logs.capped ? (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Only the latest {cap} events of each kind are shown; narrow the dates to see the rest.
        </p>
      ) : null}
      <LogSection
        id="operations-log"
        title="Operations"
        empty="No operation in these dates."
        rows={logs.operations}
        columns={operationColumns(search.toString())}
        rowKey={(op) => op.id}
      />
      <LogSection
        id="audit-log"
        title="Audit log"
        empty="Nothing recorded in these dates."
        rows={logs.audit}
        columns={auditColumns}
        rowKey={(entry) => String(entry.id)}
      />
    </div>
  );
}

function LogSection<Row>(props: {
  id: string;
  title: string;
  empty: string;
  rows: Row[];
  columns: DataColumn<Row>[];
  rowKey: (row: Row) => string;
  children?: ReactNode;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-2" aria-labelledby={props.id}>
      <h2 id={props.id} className="font-semibold">
        {props.title}
      </h2>
      {props.rows.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">{props.empty}</p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <DataTable columns={props.columns} rows={props.rows} rowKey={props.rowKey} caption={props.title} />
        </div>
      )}
      {props.children}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.tenant.name ?? "Tenant"} · Platform admin` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
