import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { parseOpportunityList, readOpportunityList } from "~/crm/opportunity-list.server";
import { apiError } from "~/http.server";
import { withLakeAccess } from "~/lake/hierarchy.server";

/**
 * A page of the opportunities the caller's place in the sales hierarchy lets
 * them see (admins the workspace, managers their teams, reps their own),
 * with the Opportunities page's parameters: `sort` (value, probability, age,
 * last_touch, deadline or updated; `-` first for descending), `stage`,
 * `owner`, `team`, `tag`, `outcome`, `closing` (this_month | overdue),
 * `opened_from`/`opened_to` (YYYY-MM), `pushed=1` with `pushed_run`,
 * `pushed_icp`, `pushed_bucket` (the deals a Lead engine outcome figure
 * counts), `cursor`, `limit`; `next_cursor` is
 * null on the last page. Viewers and members no lake user matches see names,
 * contacts and owners masked.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const list = parseOpportunityList(new URL(request.url).searchParams);
  if (!list.ok) return apiError(400, list.code, list.message);
  const page = await withLakeAccess(viewer, (tx, access) => readOpportunityList(tx, access, list));
  return Response.json({ items: page.items, next_cursor: page.nextCursor }, { headers: { "Cache-Control": "no-store" } });
}
