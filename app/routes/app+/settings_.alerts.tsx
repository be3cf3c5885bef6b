import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AlertDeliveryPage } from "~/alerts/alert-channels";
import { alertChannelsAction, alertChannelsPage } from "~/alerts/channels.server";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";

/** Settings → Alerts: where this workspace's alerts are delivered. Admins only, on the page and its action. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  return alertChannelsPage({ tenantId: viewer.tenant.id });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  return alertChannelsAction(request, { tenantId: viewer.tenant.id }, { sub: viewer.sub, email: viewer.email });
}

export default function AlertSettings() {
  const { channels, deliveries } = useLoaderData<typeof loader>();
  return (
    <AlertDeliveryPage
      title="Alert delivery"
      description={
        <>
          Where this workspace&apos;s alerts go, besides the dashboard.{" "}
          <Link to="/app/settings" className="text-brand-700 underline">
            Back to settings
          </Link>
        </>
      }
      audience="Alerts of this workspace reach these channels."
      channels={channels}
      deliveries={deliveries}
    />
  );
}

export const meta: MetaFunction = () => [{ title: "Alert delivery · Settings · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
