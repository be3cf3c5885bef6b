import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { archiveResponse } from "~/privacy/privacy-page.server";

/** GET /app/privacy/archive?q=: the person's records as a tar of JSON and CSV files (admins). */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  return archiveResponse(viewer.tenant, { sub: viewer.sub, email: viewer.email }, new URL(request.url).searchParams.get("q") ?? "");
}
