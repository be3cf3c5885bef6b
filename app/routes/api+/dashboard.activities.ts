import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { activitiesView, parseActivitiesQuery } from "~/crm/activities.server";
import { apiError } from "~/http.server";

/**
 * The activity feed (`view` done | planned | overdue, filtered by `type`,
 * `owner`, `team`; `next_cursor` null on the last page), the overdue planned
 * activities per owner and the done activities per rep per Singapore week,
 * within the caller's place in the sales hierarchy, as the Activities page
 * shows them.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const parsed = parseActivitiesQuery(new URL(request.url));
  if (!parsed.ok) return apiError(400, parsed.error, parsed.message);
  const { feed, ...view } = await activitiesView(viewer, parsed.query);
  return Response.json({ ...view, items: feed.items, next_cursor: feed.nextCursor }, { headers: { "Cache-Control": "no-store" } });
}
