import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Page } from "~/components/ui/page";
import { operatorTenant } from "~/privacy/operator-tenant.server";
import { privacyAction, privacyPageData } from "~/privacy/privacy-page.server";
import { PrivacyRequests, type PrivacyPaths } from "~/privacy/privacy-requests";

/** A platform operator answers a data-subject request for any workspace; everything done is audited in that workspace's log. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const tenant = await operatorTenant(params.id);
  return { tenant, ...(await privacyPageData(tenant.id, new URL(request.url))) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const tenant = await operatorTenant(params.id);
  return privacyAction(request, tenant.id, { sub: viewer.sub, email: viewer.email }, `/admin/tenants/${tenant.id}/privacy`);
}

export default function TenantPrivacy() {
  const { tenant, ...data } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const base = `/admin/tenants/${tenant.id}/privacy`;
  const paths: PrivacyPaths = {
    page: base,
    archive: (q) => `${base}/archive?${new URLSearchParams({ q })}`,
    receipt: (id) => `${base}/receipts/${id}`,
  };
  return (
    <Page
      title={`Data-subject requests · ${tenant.name}`}
      description={
        <Link className="text-brand-700 underline" to={`/admin/tenants/${tenant.id}`}>
          ← {tenant.name}
        </Link>
      }
    >
      <PrivacyRequests data={data} paths={paths} actionError={result?.message ?? null} />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Data-subject requests · Control plane" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
