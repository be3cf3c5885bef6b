import { z } from "zod";
import { moduleSource, type CatalogModule } from "~/catalog/plan";
import { type CallOptions, type OdooSession } from "./client.server";
import { idSchema, many2one, stringOrFalse } from "./provisioning-step.server";

/**
 * Odoo's module registry over JSON-RPC: `ir.module.module` (name, shortdesc,
 * author, state, dependencies_id) with its `ir.module.module.dependency`
 * rows, and the immediate install/uninstall buttons. Odoo resolves
 * dependencies itself: installing a module installs the uninstalled modules
 * it depends on, uninstalling one removes the installed modules that depend
 * on it.
 */

export type OdooModule = CatalogModule & { id: number };

const moduleRowSchema = z.object({
  id: idSchema,
  name: z.string(),
  shortdesc: stringOrFalse,
  author: stringOrFalse,
  state: z.string(),
  dependencies_id: z.array(idSchema),
});

const dependencyRowSchema = z.object({ id: idSchema, name: z.string(), module_id: many2one });

/** The modules Odoo knows (all of them, or those named), with their dependencies' names. */
export async function readModules(session: OdooSession, options: { names?: readonly string[]; context?: CallOptions["context"] } = {}): Promise<OdooModule[]> {
  const domain = options.names ? [["name", "in", [...options.names]] as [string, string, unknown]] : [];
  const rows = await session.searchRead("ir.module.module", domain, {
    fields: ["name", "shortdesc", "author", "state", "dependencies_id"],
    order: "name",
    schema: moduleRowSchema,
    context: options.context,
  });
  const dependencyIds = rows.flatMap((r) => r.dependencies_id);
  const dependencies = dependencyIds.length
    ? await session.read("ir.module.module.dependency", dependencyIds, ["name", "module_id"], { schema: dependencyRowSchema, context: options.context })
    : [];
  const namesOf = new Map<number, string[]>();
  for (const dep of dependencies) {
    if (!dep.module_id) continue;
    namesOf.set(dep.module_id[0], [...(namesOf.get(dep.module_id[0]) ?? []), dep.name]);
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    summary: r.shortdesc || "",
    author: r.author || "",
    source: moduleSource(r.author || ""),
    state: r.state,
    dependencies: (namesOf.get(r.id) ?? []).sort(),
  }));
}

const actionSchema = z.object({ type: z.string() }).passthrough();

/**
 * `button_immediate_install` or `button_immediate_uninstall` on one module.
 * Odoo installs the module with its uninstalled dependencies, or removes it
 * with the installed modules that depend on it, in one transaction, and
 * answers the next action. `context` carries the tenant's company (Odoo runs
 * install hooks for `env.companies`).
 */
export async function changeModule(session: OdooSession, module: OdooModule, change: "install" | "uninstall", options: CallOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? session.client.slowCallTimeoutMs;
  actionSchema.parse(await session.call("ir.module.module", `button_immediate_${change}`, [[module.id]], {}, { ...options, timeoutMs }));
}
