import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { moduleCatalog, type ModuleCatalog } from "~/catalog/module-catalog.server";
import { apiError } from "~/http.server";

function catalogResponse(catalog: ModuleCatalog): Response {
  return Response.json(
    { items: catalog.modules, databases: catalog.databases, unreachable: catalog.unreachable, fetched_at: catalog.fetchedAt },
    { headers: { "Cache-Control": "no-store" } },
  );
}

/**
 * GET /api/catalog/modules: the Odoo modules of every reachable tenant
 * database (name, summary, author, source core|oca|other, dependencies, in
 * how many databases installed), cached for ten minutes.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  return catalogResponse(await moduleCatalog());
}

/** POST /api/catalog/modules: reads the tenants' Odoo again instead of the cached catalog. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use GET or POST");
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  return catalogResponse(await moduleCatalog({ refresh: true }));
}
