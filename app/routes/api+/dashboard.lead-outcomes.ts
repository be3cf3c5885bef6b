import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { parseLeadOutcomesQuery } from "~/crm/lead-outcomes-query";
import { leadOutcomes } from "~/crm/lead-outcomes.server";
import { apiError } from "~/http.server";
import { withLakeAccess } from "~/lake/hierarchy.server";

/**
 * What became of the leads the platform pushed to Odoo: by run, ICP version
 * and score bucket, optionally for the runs of months `from`–`to` (YYYY-MM)
 * and one `icp_version`. Deals within the caller's place in the sales
 * hierarchy; vendor spend only for callers who see the whole tenant.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const query = parseLeadOutcomesQuery(new URL(request.url).searchParams);
  if (!query.ok) return apiError(400, "invalid_query", query.message);
  const outcomes = await withLakeAccess(viewer, (tx, access) => leadOutcomes(tx, access, query.query));
  return Response.json(outcomes, { headers: { "Cache-Control": "no-store" } });
}
