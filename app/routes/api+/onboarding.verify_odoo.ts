import { type ActionFunctionArgs } from "@remix-run/node";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { apiError } from "~/http.server";
import { verifyOdooConnection } from "~/tenants/odoo-credential.server";

/**
 * Signs in to the workspace's Odoo with its service credential now: it writes
 * (last verified, audit), so POST only, and only a workspace admin or
 * platform staff may ask. 200 when Odoo answered, 502 with a plain-words reason when not.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST");
  const viewer = requireRole(request, await requireTenantUser(request, { allowSetup: true }), ["admin", "platform_owner", "platform_operator"]);
  const result = await verifyOdooConnection(viewer.tenant.id, { sub: viewer.sub, email: viewer.email });
  return Response.json({ tenant_id: viewer.tenant.id, ...result }, { status: result.ok ? 200 : 502 });
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST");
}
