import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { archiveResponse } from "~/privacy/privacy-page.server";

/** GET /api/privacy/archive?q=: the access-request archive (a tar of subject.json and one CSV per kind of record), audited. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  return archiveResponse(viewer.tenant, { sub: viewer.sub, email: viewer.email }, new URL(request.url).searchParams.get("q") ?? "");
}
