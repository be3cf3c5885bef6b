import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AlertDeliveryPage } from "~/alerts/alert-channels";
import { alertChannelsAction, alertChannelsPage } from "~/alerts/channels.server";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";

/** The platform-wide alert channels: every workspace's alerts, for the platform's owners and operators. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  return alertChannelsPage({ tenantId: null });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  return alertChannelsAction(request, { tenantId: null }, { sub: viewer.sub, email: viewer.email });
}

export default function PlatformAlertChannels() {
  const { channels, deliveries } = useLoaderData<typeof loader>();
  return (
    <AlertDeliveryPage
      title="Platform alert channels"
      description={
        <>
          Every workspace&apos;s alerts, delivered to the platform team.{" "}
          <Link to="/admin/alerts" className="text-brand-700 underline">
            All alerts
          </Link>
        </>
      }
      audience="Alerts of every workspace reach these channels."
      channels={channels}
      deliveries={deliveries}
    />
  );
}

export const meta: MetaFunction = () => [{ title: "Alert channels · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
