import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireViewer } from "~/auth/guards.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  return Response.json({
    sub: viewer.sub,
    email: viewer.email,
    tenant_id: viewer.tenant?.id ?? null,
    tenant: viewer.tenant ? { id: viewer.tenant.id, slug: viewer.tenant.slug, name: viewer.tenant.name, status: viewer.tenant.status } : null,
    roles: viewer.roles,
  });
}
