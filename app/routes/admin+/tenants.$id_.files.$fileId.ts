import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { invariantFound } from "~/http.server";
import { tenantFileResponse } from "~/tenants/tenant-files.server";

/** GET /admin/tenants/:id/files/:fileId: a decommission's export or receipt, or an Odoo backup, as a download. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const tenantId = z.uuid().safeParse(params.id);
  const fileId = z.uuid().safeParse(params.fileId);
  const response = tenantId.success && fileId.success ? await tenantFileResponse(tenantId.data, fileId.data) : null;
  invariantFound(response, "No such file");
  return response;
}
