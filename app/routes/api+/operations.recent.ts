import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { apiError } from "~/http.server";
import { recentOperations } from "~/tenants/operations.server";
import { formatZodIssues } from "~/utils/zod-issues";

const RecentQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), tenant_id: z.uuid().optional() }).strict();

/** GET /api/operations/recent: the latest lifecycle operations across tenants (or one tenant's), newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const query = RecentQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return apiError(400, "invalid_query", formatZodIssues(query.error, "(query)"));
  const items = await recentOperations({ limit: query.data.limit, tenantId: query.data.tenant_id });
  return Response.json({ items }, { headers: { "Cache-Control": "no-store" } });
}
