import { type LoaderFunctionArgs } from "@remix-run/node";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { operatorTenant } from "~/privacy/operator-tenant.server";
import { receiptResponse } from "~/privacy/privacy-page.server";

/** GET /admin/tenants/:id/privacy/receipts/:erasureId: a finished erasure's receipt, for an operator. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const tenant = await operatorTenant(params.id);
  return receiptResponse(tenant.id, params.erasureId);
}
