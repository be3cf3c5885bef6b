import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { receiptResponse } from "~/privacy/privacy-page.server";

/** GET /app/privacy/receipts/:id: a finished erasure's receipt from the audit log, as JSON (admins). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  return receiptResponse(viewer.tenant.id, params.id);
}
