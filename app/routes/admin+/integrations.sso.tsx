import { type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { microsoftApp } from "~/auth/tenant-sso/flow.server";
import { formatRoleMapping } from "~/auth/tenant-sso/mapping";
import { listIdentityProviders } from "~/auth/tenant-sso/providers.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { Page } from "~/components/ui/page";

/** Every tenant's own identity provider in one list; each is edited on its tenant's SSO tab. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  return { providers: await listIdentityProviders(), microsoft: microsoftApp() !== null };
}

type Row = SerializeFrom<typeof loader>["providers"][number];

const columns: DataColumn<Row>[] = [
  {
    header: "Tenant",
    rowHeader: true,
    cell: (row) => (
      <Link to={`/admin/tenants/${row.tenant.id}/sso`} className="font-medium text-brand-700 hover:underline">
        {row.tenant.name}
      </Link>
    ),
  },
  { header: "Kind", cell: (row) => (row.kind === "entra" ? "Microsoft Entra ID" : "OpenID Connect") },
  { header: "Issuer", cellClassName: "break-all font-mono text-xs", cell: (row) => row.issuer },
  { header: "Email domains", cell: (row) => row.emailDomains.join(", ") || "—" },
  { header: "Roles", cellClassName: "whitespace-pre-line font-mono text-xs", cell: (row) => `${row.rolesClaim}:\n${formatRoleMapping(row.roleMapping)}` },
  { header: "State", cell: (row) => <Badge tone={row.enabled ? "green" : "gray"}>{row.enabled ? "enabled" : "off"}</Badge> },
];

export default function SsoIntegrations() {
  const { providers, microsoft } = useLoaderData<typeof loader>();
  return (
    <Page
      title="SSO & identity"
      description="Tenants whose members sign in through their own identity provider; everyone else signs in with Nexius SSO, the platform's default."
    >
      <p className="mb-4 text-sm text-slate-600">
        Sign in with Microsoft (the platform&apos;s multi-tenant Entra app):{" "}
        <Badge tone={microsoft ? "green" : "gray"}>{microsoft ? "configured" : "not configured (ENTRA_CLIENT_ID)"}</Badge>
      </p>
      <DataTable
        label="Tenant identity providers"
        rows={providers}
        rowKey={(row) => row.id}
        columns={columns}
        empty="No tenant has its own provider yet: add one on a tenant's SSO tab."
      />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "SSO & identity · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
