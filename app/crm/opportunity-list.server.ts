import { type TenantViewer } from "~/auth/guards.server";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { listOpportunities } from "~/lake/opportunities.server";
import { decodeOpportunityCursor } from "~/lake/opportunity-cursor";
import { formatZodIssues } from "~/utils/zod-issues";
import { givenParams, OpportunityListQuery, opportunityFiltersOf, type OpportunityListParams } from "./opportunity-query";

/**
 * The deal list from a URL's query, as the Opportunities page and GET
 * /api/opportunities both answer it: parsed once, read through the caller's
 * place in the sales hierarchy. A bad query is a problem to report, not an
 * exception.
 */
export type OpportunityListAnswer =
  | { ok: true; query: OpportunityListParams; page: Awaited<ReturnType<typeof listOpportunities>>; role: string }
  | { ok: false; code: "invalid_query" | "invalid_cursor"; message: string };

export async function opportunityListFor(viewer: TenantViewer, search: URLSearchParams): Promise<OpportunityListAnswer> {
  const parsed = OpportunityListQuery.safeParse(givenParams(search));
  if (!parsed.success) return { ok: false, code: "invalid_query", message: formatZodIssues(parsed.error, "(query)") };
  const query = parsed.data;
  const position = query.cursor ? decodeOpportunityCursor(query.sort, query.cursor) : null;
  if (query.cursor && !position) return { ok: false, code: "invalid_cursor", message: "The cursor is not one this list made for this sort" };
  const { page, role } = await withLakeAccess(viewer, async (tx, access) => ({
    page: await listOpportunities(tx, access, { sort: query.sort, cursor: position, limit: query.limit, filters: opportunityFiltersOf(query) }),
    role: access.role,
  }));
  return { ok: true, query, page, role };
}
