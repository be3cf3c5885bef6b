import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { db } from "~/db.server";
import { syncStatus } from "~/lake/sync-status.server";

/** Per source of the caller's lake: connection, freshness, the sync queued or running with its counts and entity, and the last finished sync. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const sources = await db.$withTenant(viewer.tenant.id, (tx) => syncStatus(tx));
  return Response.json({ sources }, { headers: { "Cache-Control": "no-store" } });
}
