import { type ActionFunctionArgs } from "@remix-run/node";
import { requireViewer } from "~/auth/guards.server";
import { resolveIdentity } from "~/auth/identity.server";
import { QuotaExceededError, refusedQuota } from "~/billing/quotas";
import { apiError } from "~/http.server";
import { provisioningStatus, requestProvisioning } from "~/tenants/provisioning.server";

/** Idempotent: creates the workspace for this identity if it has none and starts provisioning once. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST");
  const viewer = await requireViewer(request);
  // A token's tenant_id names the workspace even before it exists; only a token without one gets a self-serve workspace.
  const tenantId = viewer.via === "bearer" ? viewer.tenantClaim : viewer.tenant?.slug;
  const identity = await resolveIdentity({
    sub: viewer.sub,
    email: viewer.email,
    email_verified: viewer.emailVerified,
    name: viewer.name,
    roles: viewer.roles,
    tenant_id: tenantId,
  }).catch(refusedQuota);
  if (identity instanceof QuotaExceededError) return apiError(402, "quota_exceeded", identity.message, { quota: identity.quota });
  if (!identity.tenant) return apiError(409, "no_workspace", "Platform staff without a tenant have no workspace to provision");
  const status = await provisioningStatus(identity.tenant.id);
  if (status && status.status === "provisioning") {
    await requestProvisioning(identity.tenant.id, { sub: viewer.sub, email: viewer.email }, { mode: "first_login" });
  }
  return Response.json({ tenant_id: identity.tenant.id, status: status?.status ?? "provisioning" }, { status: 202 });
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST");
}
