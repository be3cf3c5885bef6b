import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { dashboardOverview } from "~/lake/serving-reads.server";

/** The sales dashboard's headline figures from the caller's lake, over the records their place in the sales hierarchy lets them see. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const overview = await withLakeAccess(viewer, (tx, access) => dashboardOverview(tx, access.scope));
  return Response.json(overview, { headers: { "Cache-Control": "no-store" } });
}
