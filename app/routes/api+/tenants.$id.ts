import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireViewer } from "~/auth/guards.server";
import { canOperateTenants, isPlatformStaff } from "~/auth/roles";
import { ssoSummary } from "~/auth/tenant-sso/providers.server";
import { billingSummary } from "~/billing/tenant-billing.server";
import { platformDb } from "~/db.server";
import { apiError } from "~/http.server";
import { analyticsSummary } from "~/tenants/analytics-hub.server";
import { recentOperations } from "~/tenants/operations.server";
import { provisioningStatus } from "~/tenants/provisioning.server";

/** A tenant's status: for its own members and the platform's owners and operators (finance: 403); anyone else gets 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  const id = params.id ?? "";
  const own = viewer.tenant?.id === id;
  if (!own && isPlatformStaff(viewer.roles) && !canOperateTenants(viewer.roles)) {
    return apiError(403, "forbidden", "Tenant details are for platform owners and operators");
  }
  const allowed = canOperateTenants(viewer.roles) || own;
  const tenant =
    allowed && z.uuid().safeParse(id).success
      ? await platformDb.tenant.findUnique({
          where: { id },
          select: { id: true, slug: true, name: true, status: true, plan: true, region: true, agencyGroup: true, createdAt: true },
        })
      : null;
  if (!tenant) return apiError(404, "not_found", "No such tenant");
  // The workspace's own members see its status; the platform's staff also its latest operations, its SSO, its analytics login and its billing.
  const operations = canOperateTenants(viewer.roles)
    ? {
        recent_operations: await recentOperations({ tenantId: tenant.id, limit: 5 }),
        sso: await ssoSummary(tenant.id),
        analytics: await analyticsSummary(tenant.id),
        billing: await billingSummary(tenant.id),
      }
    : {};
  return Response.json({ ...tenant, provisioning: await provisioningStatus(tenant.id), ...operations });
}
