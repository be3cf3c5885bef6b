import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { apiError } from "~/http.server";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { listOpportunities, OPPORTUNITY_PAGE_MAX } from "~/lake/opportunities.server";
import { decodeOpportunityCursor, OPPORTUNITY_SORTS } from "~/lake/opportunity-cursor";
import { formatZodIssues } from "~/utils/zod-issues";

const OpportunitiesQuery = z
  .object({
    /** The `next_cursor` of the previous page, with the same sort. */
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(OPPORTUNITY_PAGE_MAX).default(50),
    sort: z.enum(OPPORTUNITY_SORTS).default("-updated"),
    stage: z.string().trim().min(1).max(200).optional(),
    owner: z.uuid().optional(),
    team: z.uuid().optional(),
  })
  .strict();

/**
 * A page of the opportunities the caller's place in the sales hierarchy lets
 * them see (admins the workspace, managers their teams, reps their own),
 * sorted by `value` or `updated` (`-` first for descending), filtered by
 * stage, owner and team; `next_cursor` is null on the last page. Viewers and
 * members no lake user matches see names, contacts and owners masked.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  // An empty parameter (`?cursor=`) is the same as none.
  const given = [...new URL(request.url).searchParams].filter(([, value]) => value !== "");
  const query = OpportunitiesQuery.safeParse(Object.fromEntries(given));
  if (!query.success) return apiError(400, "invalid_query", formatZodIssues(query.error, "(query)"));
  const { cursor, limit, sort, stage, owner, team } = query.data;
  const position = cursor ? decodeOpportunityCursor(sort, cursor) : null;
  if (cursor && !position) return apiError(400, "invalid_cursor", "The cursor is not one this list made for this sort");
  const page = await withLakeAccess(viewer, (tx, access) =>
    listOpportunities(tx, access, { sort, cursor: position, limit, filters: { stage, ownerId: owner, teamId: team } }),
  );
  return Response.json({ items: page.items, next_cursor: page.nextCursor }, { headers: { "Cache-Control": "no-store" } });
}
