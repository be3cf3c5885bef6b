import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { leadOriginOf } from "~/crm/lead-origin.server";
import { apiError } from "~/http.server";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { opportunityFile } from "~/lake/opportunities.server";

/**
 * One opportunity with its timeline (activities and Outlook meetings, newest
 * first, each with its source), account and contacts, as its page shows it,
 * when the caller's place in the sales hierarchy lets them see it; 404 otherwise, the same as for one that does not exist, so a rep
 * learns nothing of a colleague's deals. `lead_origin` is the lead engine's
 * score and rationale when the deal came from a lead the platform pushed.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const id = z.uuid().safeParse(params.id);
  if (!id.success) return apiError(404, "not_found", "No such opportunity");
  const found = await withLakeAccess(viewer, async (tx, access) => {
    const opportunity = await opportunityFile(tx, access, id.data);
    return opportunity && { ...opportunity, lead_origin: await leadOriginOf(tx, id.data) };
  });
  if (!found) return apiError(404, "not_found", "No such opportunity");
  return Response.json(found, { headers: { "Cache-Control": "no-store" } });
}
