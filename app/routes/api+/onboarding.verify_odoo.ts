import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { verifyOdooConnection } from "~/tenants/odoo-credential.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request, { allowSetup: true });
  const result = await verifyOdooConnection(viewer.tenant.id, { sub: viewer.sub, email: viewer.email });
  return Response.json({ tenant_id: viewer.tenant.id, ...result }, { status: result.ok ? 200 : 502 });
}
