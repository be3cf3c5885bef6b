import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { pipelineFilters } from "~/crm/pipeline";
import { loadPipelineDashboard } from "~/crm/pipeline.server";
import { apiError } from "~/http.server";
import { formatZodIssues } from "~/utils/zod-issues";

/**
 * The Pipeline page's figures as JSON, over the deals the caller's place in
 * the sales hierarchy lets them see: headline figures, the open funnel by
 * stage, figures by team and by owner, deals closing this month and overdue.
 * Filters `team`, `owner`, `tag`, `opened_from`/`opened_to` (YYYY-MM, the
 * month a deal opened; the last 12 months by default).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const parsed = pipelineFilters(new URL(request.url).searchParams, new Date());
  if (!parsed.ok) return apiError(400, "invalid_query", formatZodIssues(parsed.error, "(query)"));
  const pipeline = await loadPipelineDashboard(viewer, parsed.filters);
  return Response.json(pipeline, { headers: { "Cache-Control": "no-store" } });
}
