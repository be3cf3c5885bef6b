import { accessDenied, userError } from "./errors";
import { model, SUPERUSER_ID } from "./model-kit";
import { type Env, type Rec, type SimDatabase } from "./orm";

/**
 * Odoo's module registry as odoo/addons/base/models/ir_module.py (17.0/18.0)
 * keeps it: one `ir.module.module` row per module on the addons path, its
 * `dependencies_id` rows naming the modules it depends on, and the immediate
 * install/uninstall buttons. Installing marks the module and its uninstalled
 * dependencies installed (`_state_update`); uninstalling removes the module
 * and every installed module that depends on it (`downstream_dependencies`);
 * both run in one transaction, so a failure leaves every state as it was.
 */

export const MODULE_STATES = ["uninstallable", "uninstalled", "installed", "to upgrade", "to remove", "to install"] as const;

/** What `_button_immediate_function` returns when no configuration wizard is waiting (`next()`). */
const NEXT_ACTION = { type: "ir.actions.act_url", target: "self", url: "/web" };

/** `odoo.conf.server_wide_modules`: loaded for every database, never uninstalled. */
const SERVER_WIDE_MODULES = ["base", "web"];

/** Where the simulator keeps injected install failures: a table no RPC model reaches. */
const FAULT_TABLE = "simulator.module_install_fault";

function isAdmin(env: Env): boolean {
  return env.su || env.uid === SUPERUSER_ID || env.db.hasGroup(env.uid, "base.group_erp_manager");
}

function moduleRows(db: SimDatabase): Rec[] {
  return Object.values(db.table("ir.module.module"));
}

function dependencyNames(db: SimDatabase, moduleId: number): string[] {
  return Object.values(db.table("ir.module.module.dependency"))
    .filter((d) => d.module_id === moduleId)
    .map((d) => String(d.name));
}

/** The uninstalled modules an install of `rows` also installs: the rows and their dependencies, dependencies first. */
function installClosure(db: SimDatabase, rows: Rec[]): Rec[] {
  const byName = new Map(moduleRows(db).map((m) => [String(m.name), m]));
  const order: Rec[] = [];
  const visit = (mod: Rec) => {
    if (mod.state !== "uninstalled" || order.includes(mod)) return;
    for (const dep of dependencyNames(db, mod.id)) {
      const target = byName.get(dep);
      if (!target)
        throw userError(
          `You try to install module '${String(mod.name)}' that depends on module '${dep}'.\nBut the latter module is not available in your system.`,
        );
      visit(target);
    }
    order.push(mod);
  };
  rows.forEach(visit);
  return order;
}

/** `downstream_dependencies`: the installed modules that depend, directly or not, on `rows`. */
function downstreamDependencies(db: SimDatabase, rows: Rec[]): Rec[] {
  const known = new Set(rows.map((r) => r.id));
  const found: Rec[] = [];
  let frontier = rows.map((r) => String(r.name));
  while (frontier.length) {
    const next = moduleRows(db).filter(
      (m) =>
        !known.has(m.id) &&
        !["uninstalled", "uninstallable", "to remove"].includes(String(m.state)) &&
        dependencyNames(db, m.id).some((d) => frontier.includes(d)),
    );
    for (const m of next) known.add(m.id);
    found.push(...next);
    frontier = next.map((m) => String(m.name));
  }
  return found;
}

/** The company ids an install runs for: Odoo passes `env.companies` on to the install (`request.allowed_company_ids`). */
function companiesOf(env: Env): number[] {
  return env.su ? [] : env.db.allowedCompanies(env);
}

function injectedFailure(env: Env, mod: Rec): Rec | undefined {
  const companies = companiesOf(env);
  return Object.values(env.db.table(FAULT_TABLE)).find((f) => f.module === mod.name && (f.company_id === false || companies.includes(f.company_id as number)));
}

export const irModuleModule = model({
  name: "ir.module.module",
  description: "Module",
  module: "base",
  order: "application desc, sequence, name",
  fields: {
    name: { type: "char", string: "Technical Name", required: true },
    shortdesc: { type: "char", string: "Module Name" },
    summary: { type: "char", string: "Summary" },
    author: { type: "char", string: "Author" },
    state: { type: "selection", string: "Status", selection: [...MODULE_STATES], default: () => "uninstalled" },
    dependencies_id: { type: "one2many", string: "Dependencies", relation: "ir.module.module.dependency", inverse: "module_id" },
    application: { type: "boolean", string: "Application", default: () => false },
    sequence: { type: "integer", string: "Sequence", default: () => 100 },
  },
  access: { read: "everyone", write: ["base.group_system"], create: ["base.group_system"], unlink: ["base.group_system"] },
  methods: {
    button_immediate_install: {
      apiModel: false,
      params: [],
      run: (env, _def, ids) => {
        if (!isAdmin(env)) throw accessDenied();
        const rows = ids.map((id) => env.db.get("ir.module.module", id)).filter((r): r is Rec => Boolean(r));
        const blocked = rows.find((r) => r.state === "uninstallable");
        if (blocked) throw userError(`You try to install module "${String(blocked.name)}" that is not installable.`);
        const todo = installClosure(env.db, rows);
        for (const mod of todo) {
          const fault = injectedFailure(env, mod);
          if (fault) throw userError(`Module "${String(mod.name)}" could not be installed: ${String(fault.message)}`);
        }
        env.db.install(todo.map((r) => String(r.name)));
        return NEXT_ACTION;
      },
    },
    button_immediate_uninstall: {
      apiModel: false,
      params: [],
      run: (env, _def, ids) => {
        if (!isAdmin(env)) throw accessDenied();
        const rows = ids.map((id) => env.db.get("ir.module.module", id)).filter((r): r is Rec => Boolean(r));
        const serverWide = rows.filter((r) => SERVER_WIDE_MODULES.includes(String(r.name)));
        if (serverWide.length) throw userError(`Those modules cannot be uninstalled: ${serverWide.map((r) => String(r.name)).join(", ")}`);
        if (rows.some((r) => r.state !== "installed" && r.state !== "to upgrade")) {
          throw userError(
            "One or more of the selected modules have already been uninstalled, if you believe this to be an error, you may try again later or contact support.",
          );
        }
        for (const mod of [...rows, ...downstreamDependencies(env.db, rows)]) mod.state = "uninstalled";
        return NEXT_ACTION;
      },
    },
    update_list: {
      apiModel: true,
      params: [],
      run: (env) => {
        if (!isAdmin(env)) throw accessDenied();
        return [0, 0];
      },
    },
  },
});

export const irModuleModuleDependency = model({
  name: "ir.module.module.dependency",
  description: "Module dependency",
  module: "base",
  order: "name",
  fields: {
    name: { type: "char", string: "Name" },
    module_id: { type: "many2one", string: "Module", relation: "ir.module.module" },
    depend_id: {
      type: "many2one",
      string: "Dependency",
      relation: "ir.module.module",
      compute: (db, rec) => moduleRows(db).find((m) => m.name === rec.name)?.id ?? false,
    },
    // The state of the module depended on, `unknown` when it is not on the addons path.
    state: {
      type: "selection",
      string: "Status",
      selection: [...MODULE_STATES, "unknown"],
      compute: (db, rec) => moduleRows(db).find((m) => m.name === rec.name)?.state ?? "unknown",
    },
    auto_install_required: { type: "boolean", string: "Ensure Install", default: () => true },
  },
  access: { read: "everyone", write: ["base.group_system"], create: ["base.group_system"], unlink: ["base.group_system"] },
});

export type ModuleManifest = { shortdesc: string; summary?: string; author?: string; depends: string[]; application?: boolean; installable?: boolean };

/** `update_list` on a fresh database: a row per module of the addons path, its dependency rows and its XML id. */
export function seedModules(db: SimDatabase, manifests: Record<string, ModuleManifest>, stamp: Record<string, unknown>): void {
  for (const [name, mod] of Object.entries(manifests)) {
    const row = db.insert("ir.module.module", {
      name,
      shortdesc: mod.shortdesc,
      summary: mod.summary ?? false,
      author: mod.author ?? "Odoo S.A.",
      state: mod.installable === false ? "uninstallable" : "uninstalled",
      application: mod.application ?? false,
      sequence: 100,
      ...stamp,
    });
    db.addXmlId(`base.module_${name}`, "ir.module.module", row.id);
    for (const dep of mod.depends) db.insert("ir.module.module.dependency", { name: dep, module_id: row.id, auto_install_required: true, ...stamp });
  }
}

/**
 * Test hook: installing `module` fails (a UserError, the whole install rolled
 * back) while the call runs for `companyId` — every company when omitted —
 * as a module whose install hook breaks on one company's data would.
 */
export function failModuleInstall(db: SimDatabase, spec: { module: string; companyId?: number; message?: string }): void {
  db.insert(FAULT_TABLE, { module: spec.module, company_id: spec.companyId ?? false, message: spec.message ?? "simulated failure (fault injection)" });
}

export function clearModuleFaults(db: SimDatabase): void {
  for (const id of Object.keys(db.table(FAULT_TABLE))) delete db.table(FAULT_TABLE)[Number(id)];
}
