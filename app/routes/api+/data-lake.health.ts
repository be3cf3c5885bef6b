import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { db } from "~/db.server";
import { lakeHealth } from "~/lake/lake-status.server";

/** Per source of the caller's lake: connection, last success, freshness against its SLA, and the last sync's status and error. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const sources = await db.$withTenant(viewer.tenant.id, (tx) => lakeHealth(tx));
  return Response.json({ sources }, { headers: { "Cache-Control": "no-store" } });
}
