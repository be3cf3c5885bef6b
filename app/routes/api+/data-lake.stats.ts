import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { withLakeScope } from "~/lake/hierarchy.server";
import { lakeStats } from "~/lake/lake-status.server";
import { WHOLE_TENANT } from "~/lake/serving-reads.server";

/** The caller's lake in numbers (counts, so the whole workspace's): canonical entities per kind, the raw zone's rows and bytes, each source's last sync with its rejects. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const stats = await withLakeScope(viewer.tenant.id, WHOLE_TENANT, (tx) => lakeStats(tx));
  return Response.json(stats, { headers: { "Cache-Control": "no-store" } });
}
