import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { parseKpisQuery, performanceView } from "~/crm/performance.server";
import { apiError } from "~/http.server";

/**
 * KPI snapshots of a period (`from`, `to`: Singapore days, at most 366 of
 * them; the last 90 days by default), narrowed by `team` and `owner`, within
 * the caller's place in the sales hierarchy, as the Performance page shows
 * them: totals, a series per day, week or month, stage conversion, stale
 * deals, per team and (for callers who see people) per rep.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const parsed = parseKpisQuery(new URL(request.url));
  if (!parsed.ok) return apiError(400, "invalid_query", parsed.message);
  return Response.json(await performanceView(viewer, parsed.query), { headers: { "Cache-Control": "no-store" } });
}
