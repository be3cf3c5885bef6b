import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { apiError } from "~/http.server";
import { provisioningStatus } from "~/tenants/provisioning.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request, { allowSetup: true });
  const status = await provisioningStatus(viewer.tenant.id);
  if (!status) return apiError(404, "not_found", "No provisioning record for this workspace");
  return Response.json(status, { headers: { "Cache-Control": "no-store" } });
}
