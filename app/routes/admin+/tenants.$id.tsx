import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { recordAudit } from "~/audit.server";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { Page } from "~/components/ui/page";
import { pageParam, Pagination } from "~/components/ui/pagination";
import { platformDb } from "~/db.server";
import { invariantFound } from "~/http.server";
import { log } from "~/logger.server";
import { setTenantPaused, tenantDetail } from "~/tenants/admin.server";
import { PROVISIONING_PHASES } from "~/tenants/lifecycle";
import { NoOdooConnectionError, rotateOdooCredential, verifyOdooConnection } from "~/tenants/odoo-credential.server";
import { requestProvisioning } from "~/tenants/provisioning.server";
import { formatWhenWithSeconds } from "~/utils/date-format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const id = z.uuid().safeParse(params.id);
  const detail = id.success ? await tenantDetail(id.data, pageParam(new URL(request.url), "auditPage")) : null;
  invariantFound(detail, "No such tenant");
  return { ...detail, auditPage: pageParam(new URL(request.url), "auditPage"), roles: viewer.roles, phases: PROVISIONING_PHASES };
}

const TenantAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("verify") }),
  z.object({ intent: z.literal("rotate") }),
  z.object({ intent: z.literal("retry") }),
  z.object({ intent: z.literal("pause") }),
  z.object({ intent: z.literal("resume") }),
]);

type ActionResult = { ok: boolean; intent: z.infer<typeof TenantAction>["intent"] | null; message: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const parsedId = z.uuid().safeParse(params.id);
  const tenant = parsedId.success ? await platformDb.tenant.findUnique({ where: { id: parsedId.data }, select: { id: true } }) : null;
  invariantFound(tenant, "No such tenant");
  const id = tenant.id;
  const parsed = TenantAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, intent: null, message: "Unknown action" };
  const actor = { sub: viewer.sub, email: viewer.email };
  const { intent } = parsed.data;
  switch (intent) {
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
    case "resume": {
      requireRole(request, viewer, ["platform_owner", "platform_operator"]);
      const result = await setTenantPaused(id, intent === "pause");
      invariantFound(result, "No such tenant");
      if (result.changed) await recordAudit(id, actor, intent === "pause" ? "tenant.paused" : "tenant.resumed");
      return { ok: result.changed, intent, message: result.changed ? (intent === "pause" ? "Workspace paused." : "Workspace resumed.") : result.reason! };
    }
  }
}

type AuditRow = SerializeFrom<typeof loader>["audit"][number];

const auditColumns: DataColumn<AuditRow>[] = [
  { header: "When", cellClassName: "whitespace-nowrap text-slate-600", cell: (entry) => formatWhenWithSeconds(entry.createdAt) },
  { header: "Who", cell: (entry) => entry.actorEmail ?? entry.actorSub ?? "system" },
  { header: "Action", cellClassName: "font-mono text-xs", cell: (entry) => entry.action },
  { header: "Target", cell: (entry) => entry.target ?? "" },
];

type Timing = { startedAt?: string; finishedAt?: string; ms?: number };

export default function TenantDetail() {
  const { tenant, audit, auditPage, auditPages, roles, phases } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const canOperate = roles.includes("platform_owner") || roles.includes("platform_operator");
  const timings = (tenant.onboardingStatus?.timings ?? {}) as Record<string, Timing>;
  const onboarding = tenant.onboardingStatus;

  const actionButton = (intent: string, label: string, variant: "primary" | "secondary" | "danger" = "secondary") => (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button type="submit" variant={variant} disabled={Boolean(busy)}>
        {busy === intent ? "Working…" : label}
      </Button>
    </Form>
  );

  return (
    <Page
      title={tenant.name}
      description={
        <span className="flex items-center gap-2">
          <span>{tenant.slug}</span> <Badge tone={statusTone(tenant.status)}>{tenant.status}</Badge>
        </span>
      }
      actions={
        canOperate ? (
          <>
            {tenant.status === "active" ? actionButton("pause", "Pause workspace", "danger") : null}
            {tenant.status === "paused" ? actionButton("resume", "Resume workspace", "primary") : null}
          </>
        ) : null
      }
    >
      <p className="mb-4 flex gap-4 text-sm">
        <Link to="/admin" className="text-brand-700 hover:underline">
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

      <div className="grid gap-6 lg:grid-cols-2">
        <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="overview">
          <h2 id="overview" className="font-semibold">
            Overview
          </h2>
          <dl className="mt-3 grid grid-cols-2 gap-y-2 text-sm">
            <dt className="text-slate-500">Plan</dt>
            <dd>{tenant.plan}</dd>
            <dt className="text-slate-500">Members</dt>
            <dd>{tenant._count.members}</dd>
            <dt className="text-slate-500">Created</dt>
            <dd>{formatWhenWithSeconds(tenant.createdAt)}</dd>
            <dt className="text-slate-500">Sign-up</dt>
            <dd>{tenant.ownerSub ? "Self-serve" : "From the identity provider's tenant"}</dd>
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

        <section className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-2" aria-labelledby="audit">
          <h2 id="audit" className="font-semibold">
            Audit log
          </h2>
          {audit.length === 0 ? (
            <p className="mt-3 text-sm text-slate-600">Nothing recorded yet.</p>
          ) : (
            <div className="mt-3 overflow-x-auto">
              <DataTable columns={auditColumns} rows={audit} rowKey={(entry) => String(entry.id)} caption="Audit log" />
            </div>
          )}
          <Pagination page={auditPage} pages={auditPages} param="auditPage" />
        </section>
      </div>
    </Page>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.tenant.name ?? "Tenant"} · Platform admin` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
