import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TenantModules } from "~/catalog/tenant-modules";
import { NO_ODOO_YET, tenantModulesTab } from "~/catalog/tenant-modules.server";
import { log } from "~/logger.server";
import { requirePortalAdmin } from "~/portal/portal-access.server";
import { PortalErrorBoundary } from "~/portal/portal-error-boundary";

/**
 * The modules installed on the workspace's Odoo, read now through the
 * platform's Odoo client, and the bundle it is on. Read-only here: bundles
 * are applied by the platform's operators (ask through Support).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePortalAdmin(request);
  const modules = await tenantModulesTab(viewer.tenant.id);
  if (!modules.odooError) return { ...modules, odooError: null };
  // Odoo's own error can name hosts and databases of the platform: the admin reads what to do, the log keeps the detail.
  log().warn({ tenantId: viewer.tenant.id, error: modules.odooError }, "tenant portal: Odoo could not be read");
  const odooError = modules.odooError === NO_ODOO_YET ? NO_ODOO_YET : "it did not answer just now";
  return { ...modules, odooError: `${odooError}. Try again in a few minutes; if it lasts, file a support request under Odoo modules.` };
}

export default function PortalModules() {
  const modules = useLoaderData<typeof loader>();
  return <TenantModules {...modules} canApply={false} />;
}

export const meta: MetaFunction = () => [{ title: "Modules · Tenant portal · Nexius Leads" }];

export const ErrorBoundary = PortalErrorBoundary;
