import { platformDb } from "~/db.server";
import { listBundles } from "./bundles.server";
import { installedModules } from "./module-apply.server";

/**
 * A tenant's Modules tab (the control plane's and the tenant portal's): the
 * bundle it is on and what its Odoo has installed, read now. An Odoo that
 * does not answer is said (`odooError`), not thrown.
 */
export const NO_ODOO_YET = "the workspace has no Odoo yet";

export async function tenantModulesTab(tenantId: string) {
  const [tenant, bundles] = await Promise.all([
    platformDb.tenant.findUniqueOrThrow({
      where: { id: tenantId },
      select: { bundleCode: true, bundleVersion: true, odooConnection: { select: { tenantId: true } } },
    }),
    listBundles(),
  ]);
  let installed = null;
  let odooError = null;
  if (tenant.odooConnection) {
    try {
      installed = (await installedModules(tenantId)).map(({ name, summary, source, dependencies }) => ({ name, summary, source, dependencies }));
    } catch (error) {
      odooError = error instanceof Error ? error.message : String(error);
    }
  } else odooError = NO_ODOO_YET;
  return {
    installed,
    odooError,
    bundle: tenant.bundleCode ? { code: tenant.bundleCode, version: tenant.bundleVersion } : null,
    bundles: bundles.map(({ code, name, version, modules }) => ({ code, name, version, modules })),
  };
}
