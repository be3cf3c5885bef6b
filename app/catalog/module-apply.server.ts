import { z } from "zod";
import { platformDb } from "~/db.server";
import { type CallOptions, OdooServerError, type OdooSession } from "~/odoo/client.server";
import { REQUIRED_MODULES } from "~/odoo/module-install.server";
import { changeModule, readModules } from "~/odoo/modules.server";
import { adminSessionFor } from "~/tenants/provisioning.server";
import { planModuleApply } from "./plan";

/**
 * Applying a module bundle to a tenant's Odoo (the module_apply operation):
 * the plan is made when the operation is asked for, against the modules
 * Odoo has then, and stored in its payload; each step works through its list
 * one module at a time and skips what is already done, so a re-run after a
 * failure resumes where Odoo stopped.
 */

export const moduleApplyPayload = z.object({
  bundle: z.string().min(1),
  version: z.number().int().positive(),
  install: z.array(z.string()),
  remove: z.array(z.string()),
  /** Set when a rollout asked for this operation: its end moves the rollout on. */
  rolloutId: z.uuid().optional(),
  rollback: z.boolean().optional(),
});
export type ModuleApplyPayload = z.infer<typeof moduleApplyPayload>;

export class ModuleApplyRefused extends Error {}

/** An administrator's session on the tenant's Odoo, and the context that names its company (install hooks run for it). */
async function tenantOdoo(tenantId: string): Promise<{ session: OdooSession; context: CallOptions["context"] }> {
  const { admin, connection } = await adminSessionFor(tenantId);
  return { session: admin, context: connection.companyId ? { allowed_company_ids: [connection.companyId] } : undefined };
}

/** The modules of a bundle version; null when the bundle never had that version. */
export async function bundleModules(bundleCode: string, version: number): Promise<string[] | null> {
  const row = await platformDb.moduleBundleVersion.findUnique({ where: { bundleCode_version: { bundleCode, version } }, select: { modules: true } });
  return row?.modules ?? null;
}

/**
 * What applying `version` of a bundle (its current one by default) to a
 * tenant installs and removes, read from the tenant's Odoo now. The removals
 * are the modules of the version the tenant is on (or `previousModules`, a
 * rollback's) that this version dropped.
 */
export async function planBundleApply(
  tenantId: string,
  input: { bundle: string; version?: number; previousModules?: readonly string[] },
): Promise<Omit<ModuleApplyPayload, "rolloutId" | "rollback">> {
  const bundle = await platformDb.moduleBundle.findUnique({ where: { code: input.bundle }, select: { code: true, version: true } });
  if (!bundle) throw new ModuleApplyRefused(`No bundle ${input.bundle}`);
  const version = input.version ?? bundle.version;
  const wanted = await bundleModules(bundle.code, version);
  if (!wanted) throw new ModuleApplyRefused(`Bundle ${bundle.code} has no version ${version}`);
  const tenant = await platformDb.tenant.findUnique({
    where: { id: tenantId },
    select: { bundleCode: true, bundleVersion: true, odooConnection: { select: { tenantId: true } } },
  });
  if (!tenant) throw new ModuleApplyRefused("No such tenant");
  if (!tenant.odooConnection) throw new ModuleApplyRefused("The workspace has no Odoo yet: provisioning creates it");
  const previous =
    input.previousModules ??
    (tenant.bundleCode === bundle.code && tenant.bundleVersion ? ((await bundleModules(bundle.code, tenant.bundleVersion)) ?? []) : []);
  const { session, context } = await tenantOdoo(tenantId);
  const modules = await readModules(session, { context });
  const unknown = wanted.filter((name) => !modules.some((m) => m.name === name));
  if (unknown.length) throw new ModuleApplyRefused(`The workspace's Odoo has no module named ${unknown.join(", ")}`);
  return { bundle: bundle.code, version, ...planModuleApply({ wanted, previous, protectedModules: REQUIRED_MODULES, modules }) };
}

type Note = (message: string) => Promise<void>;

function odooMessage(error: unknown): string {
  if (error instanceof OdooServerError) return error.odooMessage || error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Installs (or uninstalls) the listed modules one by one, skipping each one
 * already in the wanted state; the log gets a line per module. Throws with
 * the module's name and Odoo's own message when Odoo refuses one.
 */
export async function changeModules(tenantId: string, names: readonly string[], change: "install" | "uninstall", note: Note): Promise<string> {
  if (names.length === 0) return `nothing to ${change}`;
  const { session, context } = await tenantOdoo(tenantId);
  const done: string[] = [];
  for (const name of names) {
    const [module] = await readModules(session, { names: [name], context });
    if (!module) throw new ModuleApplyRefused(`Odoo has no module named ${name}`);
    const target = change === "install" ? "installed" : "uninstalled";
    if (module.state === target) {
      await note(`${name}: already ${target}`);
      continue;
    }
    if (change === "install" && module.state === "uninstallable")
      throw new ModuleApplyRefused(`Odoo cannot install ${name}: it is not installable on this Odoo version`);
    try {
      await changeModule(session, module, change, { context });
    } catch (error) {
      throw new ModuleApplyRefused(`Odoo refused to ${change} ${name}: ${odooMessage(error)}`);
    }
    const [after] = await readModules(session, { names: [name], context });
    if (after?.state !== target) throw new ModuleApplyRefused(`${name} is ${after?.state ?? "missing"} after the ${change}, not ${target}`);
    await note(`${name}: ${target}`);
    done.push(name);
  }
  return done.length ? `${change === "install" ? "installed" : "uninstalled"} ${done.join(", ")}` : `nothing left to ${change}`;
}

/** The workspace is now on this bundle version. */
export async function recordBundle(tenantId: string, payload: ModuleApplyPayload): Promise<string> {
  await platformDb.tenant.update({ where: { id: tenantId }, data: { bundleCode: payload.bundle, bundleVersion: payload.version } });
  return `workspace on ${payload.bundle} v${payload.version}`;
}

/** The modules installed in the tenant's Odoo, for its Modules tab. */
export async function installedModules(tenantId: string) {
  const { session, context } = await tenantOdoo(tenantId);
  return (await readModules(session, { context })).filter((m) => m.state === "installed");
}
