import { type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireViewer } from "~/auth/guards.server";
import { isPlatformStaff } from "~/auth/roles";
import { apiError } from "~/http.server";
import { log } from "~/logger.server";
import { NoOdooConnectionError, rotateOdooCredential } from "~/tenants/odoo-credential.server";

/** Tenant admins (their own tenant) and platform owners rotate the Odoo service credential: 204. */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST");
  const viewer = await requireViewer(request);
  const parsed = z.uuid().safeParse(params.id);
  if (!parsed.success) return apiError(404, "not_found", "No such tenant");
  const id = parsed.data;
  const ownAdmin = viewer.tenant?.id === id && viewer.roles.includes("admin");
  if (!ownAdmin && !viewer.roles.includes("platform_owner")) {
    return viewer.tenant?.id === id || isPlatformStaff(viewer.roles)
      ? apiError(403, "forbidden", "Only a tenant admin or a platform owner may rotate the Odoo credential")
      : apiError(404, "not_found", "No such tenant");
  }
  try {
    await rotateOdooCredential(id, { sub: viewer.sub, email: viewer.email });
  } catch (error) {
    if (error instanceof NoOdooConnectionError) return apiError(409, "no_odoo_connection", error.message);
    log().error({ err: error, tenantId: id }, "Odoo credential rotation failed");
    return apiError(502, "odoo_error", "Odoo did not accept the new credential; the old one is still in use");
  }
  return new Response(null, { status: 204 });
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST");
}
