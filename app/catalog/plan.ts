/**
 * The pure part of module bundles: where a module comes from, what applying a
 * bundle to a tenant installs and removes, and how a rollout walks its
 * tenants in waves (browser-safe: the catalog and rollout pages use it too).
 */

export const BUNDLE_TYPES = ["base", "vertical", "addon"] as const;
export type BundleType = (typeof BUNDLE_TYPES)[number];

export type ModuleSource = "core" | "oca" | "other";

/** Odoo's own modules name "Odoo S.A." as their author; OCA modules name the association among theirs. */
export function moduleSource(author: string): ModuleSource {
  if (author.includes("Odoo Community Association (OCA)")) return "oca";
  if (author.split(",").some((a) => a.trim() === "Odoo S.A.")) return "core";
  return "other";
}

export type CatalogModule = {
  name: string;
  summary: string;
  author: string;
  source: ModuleSource;
  state: string;
  dependencies: string[];
};

/** Every module `names` needs installed: the names and, transitively, their dependencies. */
export function dependencyClosure(names: readonly string[], dependenciesOf: (name: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...names];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...dependenciesOf(name));
  }
  return seen;
}

export type ModuleApplyPlan = { install: string[]; remove: string[] };

/**
 * What applying a bundle changes in a tenant's Odoo. Installs the bundle's
 * modules that are not installed. Removes the modules the tenant's previous
 * bundle version had and this one dropped — never a module the platform
 * itself needs, nor one a kept module depends on (Odoo would uninstall the
 * kept module with it).
 */
export function planModuleApply(input: {
  wanted: readonly string[];
  previous: readonly string[];
  protectedModules: readonly string[];
  modules: ReadonlyArray<{ name: string; state: string; dependencies: readonly string[] }>;
}): ModuleApplyPlan {
  const byName = new Map(input.modules.map((m) => [m.name, m]));
  const kept = dependencyClosure([...input.wanted, ...input.protectedModules], (name) => byName.get(name)?.dependencies ?? []);
  const install = [...new Set(input.wanted)].filter((name) => byName.get(name)?.state !== "installed").sort();
  const remove = [...new Set(input.previous)].filter((name) => !kept.has(name) && byName.get(name)?.state === "installed").sort();
  return { install, remove };
}

export const ROLLOUT_TENANT_STATES = ["pending", "installed", "removed", "failed"] as const;
export type RolloutTenantState = (typeof ROLLOUT_TENANT_STATES)[number];

export const ROLLOUT_STATUSES = ["running", "succeeded", "stopped", "rolling_back", "rolled_back", "rollback_failed"] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

/** Wave 0 is the canary alone; the other tenants follow in waves of `batchSize`, in the order given. */
export function planWaves(tenantIds: readonly string[], canaryId: string, batchSize: number): Array<{ tenantId: string; wave: number }> {
  if (!tenantIds.includes(canaryId)) throw new Error("The canary must be one of the rollout's tenants");
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error("The batch size must be a whole number of at least 1");
  const rest = [...new Set(tenantIds)].filter((id) => id !== canaryId);
  return [{ tenantId: canaryId, wave: 0 }, ...rest.map((tenantId, i) => ({ tenantId, wave: 1 + Math.floor(i / batchSize) }))];
}

export type RolloutTenant = { tenantId: string; wave: number; state: RolloutTenantState; operationId: string | null };

export type RolloutStep = { kind: "wait" } | { kind: "start"; wave: number; tenantIds: string[] } | { kind: "finish"; status: "succeeded" | "stopped" };

/**
 * The next thing a rollout does, from its tenants' states: wait while a
 * wave's operations run; stop at the first failure (the later waves stay
 * pending); start the next wave once the current one is installed; finish
 * when every wave is.
 */
export function nextRolloutStep(tenants: readonly RolloutTenant[]): RolloutStep {
  if (tenants.some((t) => t.state === "failed")) {
    return tenants.some((t) => t.state === "pending" && t.operationId) ? { kind: "wait" } : { kind: "finish", status: "stopped" };
  }
  const pending = tenants.filter((t) => t.state === "pending");
  if (pending.length === 0) return { kind: "finish", status: "succeeded" };
  const wave = Math.min(...pending.map((t) => t.wave));
  const waiting = pending.filter((t) => t.wave === wave && !t.operationId);
  if (waiting.length === 0) return { kind: "wait" };
  return { kind: "start", wave, tenantIds: waiting.map((t) => t.tenantId) };
}

/** The tenants a rollback re-applies the previous version to: those the rollout touched (installed, or failed part-way). */
export function rollbackTargets(tenants: readonly RolloutTenant[]): string[] {
  return tenants.filter((t) => t.state === "installed" || t.state === "failed").map((t) => t.tenantId);
}

/** A bundle's version goes up by one whenever its modules change (a new name or description is not a new version). */
export function nextBundleVersion(current: { version: number; modules: readonly string[] }, modules: readonly string[]): number {
  const key = (list: readonly string[]) => [...new Set(list)].sort().join(",");
  return key(current.modules) === key(modules) ? current.version : current.version + 1;
}
