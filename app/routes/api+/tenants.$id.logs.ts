import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { platformDb } from "~/db.server";
import { apiError } from "~/http.server";
import { LOG_EVENTS_CAP, logRange, tenantLogs } from "~/tenants/admin.server";
import { formatZodIssues } from "~/utils/zod-issues";

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .refine((value) => !Number.isNaN(new Date(`${value}T00:00:00Z`).getTime()), "not a calendar date");
const LogsQuery = z.object({ from: Day.optional(), to: Day.optional() }).strict();

/**
 * GET /api/tenants/:id/logs?from=YYYY-MM-DD&to=YYYY-MM-DD: the tenant's audit
 * log and operations in the range (`to` inclusive; the last 7 days by default),
 * newest first, each list capped at LOG_EVENTS_CAP with `capped` saying so —
 * the same data as the Logs tab, for platform owners and operators.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const url = new URL(request.url);
  const query = LogsQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return apiError(400, "invalid_query", formatZodIssues(query.error, "(query)"));
  const id = z.uuid().safeParse(params.id);
  const tenant = id.success ? await platformDb.tenant.findUnique({ where: { id: id.data }, select: { id: true } }) : null;
  if (!tenant) return apiError(404, "not_found", "No such tenant");
  const range = logRange(url);
  const logs = await tenantLogs(tenant.id, range);
  return Response.json(
    {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      cap: LOG_EVENTS_CAP,
      capped: logs.capped,
      // The audit id is a bigint, which JSON cannot carry as a number without losing digits.
      audit: logs.audit.map((entry) => ({ ...entry, id: entry.id.toString() })),
      operations: logs.operations,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
