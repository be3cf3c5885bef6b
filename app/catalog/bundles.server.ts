import { z } from "zod";
import { type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { type TriggerSource } from "~/tenants/operations";
import { requestOperation, type OperationRequestResult } from "~/tenants/operations.server";
import { ModuleApplyRefused, planBundleApply } from "./module-apply.server";
import { BUNDLE_TYPES, nextBundleVersion } from "./plan";

/**
 * Module bundles (platform data): created and edited by the platform's
 * owners, each change of modules a new version kept in
 * module_bundle_versions, and applied to a tenant as a module_apply
 * operation.
 */

export const bundleInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]{1,39}$/, "2–40 lowercase letters, digits, - or _, starting with a letter"),
  name: z.string().trim().min(1, "Required").max(80),
  description: z.string().trim().max(500).default(""),
  type: z.enum(BUNDLE_TYPES),
  modules: z
    .array(z.string().regex(/^[a-z0-9_]+$/, "an Odoo technical module name"))
    .min(1, "Choose at least one module")
    .transform((list) => [...new Set(list)].sort()),
});
export type BundleInput = z.infer<typeof bundleInput>;

export const bundleSelect = { code: true, name: true, description: true, type: true, modules: true, version: true, updatedAt: true } as const;

export async function listBundles() {
  return platformDb.moduleBundle.findMany({ orderBy: [{ type: "asc" }, { code: "asc" }], select: { ...bundleSelect, _count: { select: { tenants: true } } } });
}

/**
 * Creates a bundle or updates the one with this code; a change of its modules
 * makes a new version (the previous one stays, for rollbacks).
 */
export async function saveBundle(input: BundleInput): Promise<{ code: string; version: number; created: boolean }> {
  return platformDb.$transaction(async (tx) => {
    const current = await tx.moduleBundle.findUnique({ where: { code: input.code }, select: { version: true, modules: true } });
    const version = current ? nextBundleVersion(current, input.modules) : 1;
    const data = { name: input.name, description: input.description, type: input.type, modules: input.modules, version };
    await tx.moduleBundle.upsert({ where: { code: input.code }, create: { code: input.code, ...data }, update: data });
    await tx.moduleBundleVersion.upsert({
      where: { bundleCode_version: { bundleCode: input.code, version } },
      create: { bundleCode: input.code, version, modules: input.modules },
      update: {},
    });
    return { code: input.code, version, created: !current };
  });
}

/** Plans a bundle's application against the tenant's Odoo now and queues it as a module_apply operation. */
export async function requestBundleApply(
  tenantId: string,
  input: { bundle: string; version?: number; previousModules?: readonly string[]; rolloutId?: string; rollback?: boolean; source: TriggerSource; actor: Actor },
): Promise<OperationRequestResult | { ok: false; status: 400; reason: string }> {
  let plan;
  try {
    plan = await planBundleApply(tenantId, input);
  } catch (error) {
    if (error instanceof ModuleApplyRefused) return { ok: false, status: 400, reason: error.message };
    return { ok: false, status: 400, reason: `The workspace's Odoo could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  return requestOperation(tenantId, {
    type: "module_apply",
    source: input.source,
    actor: input.actor,
    payload: { ...plan, ...(input.rolloutId ? { rolloutId: input.rolloutId } : {}), ...(input.rollback ? { rollback: true } : {}) },
  });
}
