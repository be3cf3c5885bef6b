import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { db } from "~/db.server";
import { lakeStats } from "~/lake/lake-status.server";

/** The caller's lake in numbers: canonical entities per kind, the raw zone's rows and bytes, each source's last sync with its rejects. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const stats = await db.$withTenant(viewer.tenant.id, (tx) => lakeStats(tx));
  return Response.json(stats, { headers: { "Cache-Control": "no-store" } });
}
