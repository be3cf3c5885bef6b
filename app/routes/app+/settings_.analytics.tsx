import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Page } from "~/components/ui/page";
import { Section } from "~/dashboard/section";
import { AnalyticsConnectionDetails } from "~/tenants/analytics-connection";
import { workspaceAnalyticsAccess } from "~/tenants/analytics-hub.server";

export const meta: MetaFunction = () => [{ title: "BI access · Settings · Nexius" }];

/**
 * Settings → BI access: how this workspace's BI tool connects to its
 * analytics views, and its dashboard. Admins only; the platform owner
 * enables the login and hands over its password.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  return { access: await workspaceAnalyticsAccess(viewer.tenant.id) };
}

export default function AnalyticsSettings() {
  const { access } = useLoaderData<typeof loader>();
  return (
    <Page title="BI access" description="Connect Superset, Metabase or any Postgres client to this workspace's pipeline and KPI figures (read-only).">
      <p className="mb-4 text-sm">
        <Link to="/app/settings" className="text-brand-700 hover:underline">
          ← Settings
        </Link>
      </p>
      <div className="grid gap-6 lg:grid-cols-3">
        <Section id="analytics-login" title="Database login" className="lg:col-span-2">
          {access.connection ? (
            <>
              <AnalyticsConnectionDetails connection={access.connection} />
              <p className="mt-4 text-sm text-slate-600">
                The password was given when the login was set up; ask your platform owner for a new one if it is lost. The views in schema{" "}
                <span className="font-mono">analytics</span> hold this workspace&apos;s rows only.
              </p>
            </>
          ) : (
            <p className="text-sm text-slate-600">No BI login for this workspace yet: ask your platform owner to enable one.</p>
          )}
        </Section>
        <Section id="analytics-dashboard" title="BI dashboard">
          {access.biDashboardUrl ? (
            <a href={access.biDashboardUrl} target="_blank" rel="noreferrer noopener" className="break-all text-sm text-brand-700 hover:underline">
              Open the dashboard
            </a>
          ) : (
            <p className="text-sm text-slate-600">No dashboard linked yet.</p>
          )}
        </Section>
      </div>
    </Page>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
