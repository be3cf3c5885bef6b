import { type LoaderFunctionArgs } from "@remix-run/node";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { operatorTenant } from "~/privacy/operator-tenant.server";
import { archiveResponse } from "~/privacy/privacy-page.server";

/** GET /admin/tenants/:id/privacy/archive?q=: a workspace's records of one person, for an operator. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const tenant = await operatorTenant(params.id);
  return archiveResponse(tenant, { sub: viewer.sub, email: viewer.email }, new URL(request.url).searchParams.get("q") ?? "");
}
