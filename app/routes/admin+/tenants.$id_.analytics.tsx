import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { ANALYTICS_VIEW_ROLES, canOperateTenants } from "~/auth/roles";
import { planFeatureRefusal } from "~/billing/entitlements.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/forms";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Page } from "~/components/ui/page";
import { Notice, Section } from "~/dashboard/section";
import { platformDb } from "~/db.server";
import { invariantFound } from "~/http.server";
import { AnalyticsConnectionDetails } from "~/tenants/analytics-connection";
import { BiDashboardForm } from "~/tenants/analytics-hub";
import { analyticsAccess, revokeAnalyticsRole, saveBiDashboardUrl, setAnalyticsPassword } from "~/tenants/analytics-hub.server";
import { formatWhenWithSeconds } from "~/utils/date-format";

/**
 * A tenant's analytics hub: the read-only Postgres login its BI tool uses
 * (the serving zone's views, this tenant's rows only) and its BI dashboard's
 * address. Owners enable, re-password, revoke and set the address; operators
 * and finance owners see the connection (never a password).
 */
async function tenantOf(params: { id?: string }) {
  const id = z.uuid().safeParse(params.id);
  const tenant = id.success ? await platformDb.tenant.findUnique({ where: { id: id.data }, select: { id: true, slug: true, name: true, status: true } }) : null;
  invariantFound(tenant, "No such tenant");
  return tenant;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.tenant.name} · Analytics · Nexius` : "Analytics · Nexius" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, ANALYTICS_VIEW_ROLES);
  const tenant = await tenantOf(params);
  return {
    tenant,
    access: await analyticsAccess(tenant.id),
    canEdit: viewer.roles.includes("platform_owner"),
    // Finance owners have no tenant detail page to go back to.
    canOpenTenant: canOperateTenants(viewer.roles),
  };
}

type ActionResult = { ok: boolean; message: string; password?: string; user?: string; fieldError?: string };

const Intent = z.object({ intent: z.enum(["enable", "rotate", "revoke", "dashboard"]) });

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult | ReturnType<typeof data<ActionResult>>> {
  const viewer = await requirePlatformUser(request, ANALYTICS_VIEW_ROLES);
  requireRole(request, viewer, ["platform_owner"]);
  const tenant = await tenantOf(params);
  const formData = await request.formData();
  const intent = Intent.safeParse({ intent: formData.get("intent") });
  if (!intent.success) return { ok: false, message: "Unknown action" };
  const actor = { sub: viewer.sub, email: viewer.email };
  switch (intent.data.intent) {
    case "enable":
    case "rotate": {
      if (tenant.status === "decommissioned") return { ok: false, message: "This workspace is decommissioned: it gets no analytics login." };
      const refusal = await planFeatureRefusal(platformDb, tenant.id, "analytics_hub");
      if (refusal) return data({ ok: false, message: refusal }, { status: 403 });
      const { password, roleName } = await setAnalyticsPassword(tenant.id, actor);
      return { ok: true, message: "Copy the password now: it is not stored and is shown only this once.", password, user: roleName };
    }
    case "revoke": {
      const revoked = await revokeAnalyticsRole(tenant.id, actor);
      return revoked
        ? { ok: true, message: "Analytics access revoked: the login is dropped and its open sessions closed." }
        : { ok: false, message: "Analytics access is not enabled for this workspace." };
    }
    case "dashboard": {
      const parsed = BiDashboardForm.safeParse({ biDashboardUrl: formData.get("biDashboardUrl") ?? undefined });
      if (!parsed.success) {
        const fieldError = parsed.error.issues[0]?.message ?? "Not a valid address";
        return { ok: false, message: "Check the dashboard address.", fieldError };
      }
      await saveBiDashboardUrl(tenant.id, parsed.data.biDashboardUrl || null, actor);
      return { ok: true, message: parsed.data.biDashboardUrl ? "Dashboard address saved." : "Dashboard address cleared." };
    }
  }
}

export default function TenantAnalytics() {
  const { tenant, access, canEdit, canOpenTenant } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  return (
    <Page
      title={`${tenant.name} · Analytics`}
      description={
        <span className="flex items-center gap-2">
          <span>{tenant.slug}</span> <Badge tone={access.enabled ? "green" : "gray"}>{access.enabled ? "BI login enabled" : "no BI login"}</Badge>
        </span>
      }
    >
      <p className="mb-4 flex gap-4 text-sm">
        {canOpenTenant ? (
          <Link to={`/admin/tenants/${tenant.id}`} className="text-brand-700 hover:underline">
            ← {tenant.name}
          </Link>
        ) : null}
        <Link to="/admin/integrations/analytics" className="text-brand-700 hover:underline">
          Every tenant&apos;s analytics
        </Link>
      </p>
      {result ? <Notice ok={result.ok}>{result.message}</Notice> : null}
      {result?.password ? (
        <div className="mb-6 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="analytics-password">
          <p>
            Password for <span className="font-mono">{result.user}</span>:
          </p>
          <p className="mt-1 select-all break-all font-mono">{result.password}</p>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Section id="analytics-login" title="BI login" className="lg:col-span-2">
          {access.connection ? (
            <AnalyticsConnectionDetails connection={access.connection} />
          ) : (
            <p className="text-sm text-slate-600">
              {access.revokedAt
                ? `Revoked ${formatWhenWithSeconds(access.revokedAt)}: the login no longer exists.`
                : "Not enabled: no BI tool can read this workspace's data."}
            </p>
          )}
          <p className="mt-4 text-sm text-slate-600">
            The login reads the views of schema <span className="font-mono">analytics</span> (pipeline summaries, open deals and planned activities by month,
            daily KPIs) with this workspace&apos;s rows only, and nothing else; it cannot write.
          </p>
          {access.enabled ? (
            <p className="mt-2 text-xs text-slate-500">
              Enabled {formatWhenWithSeconds(access.enabledAt!)}
              {access.rotatedAt ? ` · password changed ${formatWhenWithSeconds(access.rotatedAt)}` : ""}
            </p>
          ) : null}
          {canEdit ? (
            <div className="mt-4 flex flex-wrap gap-2">
              {access.enabled ? (
                <>
                  <Form method="post">
                    <input type="hidden" name="intent" value="rotate" />
                    <Button type="submit" variant="secondary" disabled={Boolean(busy)}>
                      {busy === "rotate" ? "Changing…" : "New password"}
                    </Button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <Button type="submit" variant="danger" disabled={Boolean(busy)}>
                      {busy === "revoke" ? "Revoking…" : "Revoke access"}
                    </Button>
                  </Form>
                </>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="enable" />
                  <Button type="submit" disabled={Boolean(busy) || tenant.status === "decommissioned"}>
                    {busy === "enable" ? "Enabling…" : "Enable BI login"}
                  </Button>
                </Form>
              )}
            </div>
          ) : null}
        </Section>
        <Section id="analytics-dashboard" title="BI dashboard">
          {access.biDashboardUrl ? (
            <a href={access.biDashboardUrl} target="_blank" rel="noreferrer noopener" className="break-all text-sm text-brand-700 hover:underline">
              {access.biDashboardUrl}
            </a>
          ) : (
            <p className="text-sm text-slate-600">No dashboard linked yet.</p>
          )}
          {canEdit ? (
            <Form method="post" className="mt-4 space-y-3">
              <input type="hidden" name="intent" value="dashboard" />
              <Field
                label="Dashboard address"
                help="Superset or Metabase dashboard, http(s). Blank clears it."
                inputProps={{
                  name: "biDashboardUrl",
                  type: "url",
                  defaultValue: access.biDashboardUrl ?? "",
                  placeholder: "https://bi.example.com/superset/dashboard/12/",
                }}
                errors={result?.fieldError ? [result.fieldError] : undefined}
              />
              <Button type="submit" disabled={Boolean(busy)}>
                {busy === "dashboard" ? "Saving…" : "Save address"}
              </Button>
            </Form>
          ) : null}
        </Section>
      </div>
    </Page>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
