import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { apiError } from "~/http.server";
import { erasureReceipt, erasureRequest } from "~/privacy/erasure.server";

/** GET /api/privacy/erasures/:id: an erasure's status and steps done, and its receipt once it has finished (admins). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  const id = z.uuid().safeParse(params.id);
  const erasure = id.success ? await erasureRequest(viewer.tenant.id, id.data) : null;
  if (!erasure) return apiError(404, "not_found", "No erasure with this id in this workspace");
  const receipt = erasure.status === "succeeded" ? await erasureReceipt(viewer.tenant.id, erasure.id) : null;
  return Response.json({ ...erasure, receipt }, { headers: { "Cache-Control": "no-store" } });
}
