import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { apiError } from "~/http.server";
import { listTenants } from "~/tenants/admin.server";
import { TENANT_STATUSES } from "~/tenants/lifecycle";
import { createTenant } from "~/tenants/tenant-creation.server";
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

/**
 * POST /api/tenants (platform owners): the wizard's answers at once →
 * 201 `{ tenant_id, operation_id }`; 409 for a taken slug; 400 with each
 * invalid field's reasons.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST");
  const viewer = await requirePlatformUser(request, ["platform_owner"]);
  let raw: unknown;
  try {
    raw = JSON.parse(await request.text());
  } catch {
    return apiError(400, "invalid_json", "The body is not JSON");
  }
  const result = await createTenant(raw, { sub: viewer.sub, email: viewer.email }, "api");
  if (!result.ok) return apiError(result.status, result.status === 409 ? "slug_taken" : "invalid_body", result.reason, { fields: result.fieldErrors });
  return Response.json({ tenant_id: result.tenantId, operation_id: result.operationId }, { status: 201, headers: { "Cache-Control": "no-store" } });
}
