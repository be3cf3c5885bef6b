import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { db } from "~/db.server";
import { dashboardOverview, WHOLE_TENANT } from "~/lake/serving-reads.server";

/** The sales dashboard's headline figures from the caller's lake; every member sees the whole workspace for now. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const overview = await db.$withTenant(viewer.tenant.id, (tx) => dashboardOverview(tx, WHOLE_TENANT));
  return Response.json(overview, { headers: { "Cache-Control": "no-store" } });
}
