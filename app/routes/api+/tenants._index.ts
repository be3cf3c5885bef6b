import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { apiError } from "~/http.server";
import { listTenants } from "~/tenants/admin.server";
import { TENANT_STATUSES } from "~/tenants/lifecycle";
import { TENANT_SORTS } from "~/tenants/tenant-list";
import { formatZodIssues } from "~/utils/zod-issues";

const TenantsQuery = z
  .object({
    q: z.string().trim().max(100).optional(),
    status: z.enum(TENANT_STATUSES).optional(),
    plan: z.string().max(100).optional(),
    region: z.string().max(100).optional(),
    agency_group: z.string().max(100).optional(),
    sort: z.enum(TENANT_SORTS).default("-created"),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/** GET /api/tenants: the tenants list for platform owners and operators, `{ items, total }`; 400 names a bad parameter. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const query = TenantsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return apiError(400, "invalid_query", formatZodIssues(query.error, "(query)"));
  const { q, status, plan, region, agency_group, sort, limit, offset } = query.data;
  const { total, tenants } = await listTenants({ q: q || undefined, status, plan, region, agencyGroup: agency_group, sort, page: 1, perPage: limit, offset });
  return Response.json({ items: tenants, total, limit, offset }, { headers: { "Cache-Control": "no-store" } });
}
