import { describe, expect, it } from "vitest";
import { moduleSource, nextBundleVersion, nextRolloutStep, planModuleApply, planWaves, rollbackTargets, type RolloutTenant } from "./plan";

describe("moduleSource", () => {
  it("tells OCA modules from Odoo's own by their author", () => {
    expect(moduleSource("Camptocamp, Tecnativa, Odoo Community Association (OCA)")).toBe("oca");
    expect(moduleSource("Odoo S.A.")).toBe("core");
    expect(moduleSource("Odoo S.A., Tecnativa, Odoo Community Association (OCA)")).toBe("oca");
    expect(moduleSource("Acme Consulting")).toBe("other");
  });
});

const modules = [
  { name: "base", state: "installed", dependencies: [] },
  { name: "mail", state: "installed", dependencies: ["base"] },
  { name: "sales_team", state: "installed", dependencies: ["mail"] },
  { name: "crm", state: "installed", dependencies: ["sales_team", "mail"] },
  { name: "sale", state: "installed", dependencies: ["sales_team"] },
  { name: "sale_management", state: "uninstalled", dependencies: ["sale"] },
  { name: "l10n_sg", state: "installed", dependencies: ["base"] },
  { name: "crm_lead_code", state: "uninstalled", dependencies: ["crm"] },
];

describe("planModuleApply", () => {
  it("installs what the bundle has and Odoo lacks, and removes what the previous version had and this one dropped", () => {
    expect(planModuleApply({ wanted: ["crm", "crm_lead_code"], previous: ["crm", "l10n_sg"], protectedModules: [], modules })).toEqual({
      install: ["crm_lead_code"],
      remove: ["l10n_sg"],
    });
  });

  it("keeps a dropped module that a kept module or the platform depends on", () => {
    expect(planModuleApply({ wanted: ["sale_management"], previous: ["sale", "crm"], protectedModules: ["crm"], modules })).toEqual({
      install: ["sale_management"],
      remove: [],
    });
    expect(planModuleApply({ wanted: [], previous: ["sale", "crm"], protectedModules: ["crm"], modules }).remove).toEqual(["sale"]);
  });

  it("changes nothing when the tenant is already as the bundle says (a re-run is a no-op)", () => {
    expect(planModuleApply({ wanted: ["crm"], previous: ["crm", "sale_management"], protectedModules: [], modules })).toEqual({ install: [], remove: [] });
  });
});

describe("planWaves", () => {
  it("puts the canary alone first and the rest in batches, in order", () => {
    expect(planWaves(["a", "b", "c", "d", "e"], "c", 2)).toEqual([
      { tenantId: "c", wave: 0 },
      { tenantId: "a", wave: 1 },
      { tenantId: "b", wave: 1 },
      { tenantId: "d", wave: 2 },
      { tenantId: "e", wave: 2 },
    ]);
  });

  it("refuses a canary outside the rollout and a batch smaller than one", () => {
    expect(() => planWaves(["a"], "z", 1)).toThrow(/canary/);
    expect(() => planWaves(["a", "b"], "a", 0)).toThrow(/batch/);
  });
});

const tenant = (tenantId: string, wave: number, state: RolloutTenant["state"], operationId: string | null = null): RolloutTenant => ({
  tenantId,
  wave,
  state,
  operationId,
});

describe("nextRolloutStep", () => {
  it("starts the canary, waits for it, then starts the next wave", () => {
    expect(nextRolloutStep([tenant("c", 0, "pending"), tenant("a", 1, "pending")])).toEqual({ kind: "start", wave: 0, tenantIds: ["c"] });
    expect(nextRolloutStep([tenant("c", 0, "pending", "op1"), tenant("a", 1, "pending")])).toEqual({ kind: "wait" });
    expect(nextRolloutStep([tenant("c", 0, "installed", "op1"), tenant("a", 1, "pending"), tenant("b", 1, "pending")])).toEqual({
      kind: "start",
      wave: 1,
      tenantIds: ["a", "b"],
    });
  });

  it("stops at the first failure once the wave's other operations are over, leaving later waves pending", () => {
    const wave = [tenant("c", 0, "installed", "op1"), tenant("a", 1, "failed", "op2"), tenant("b", 1, "pending", "op3"), tenant("d", 2, "pending")];
    expect(nextRolloutStep(wave)).toEqual({ kind: "wait" });
    wave[2] = tenant("b", 1, "installed", "op3");
    expect(nextRolloutStep(wave)).toEqual({ kind: "finish", status: "stopped" });
  });

  it("finishes when every tenant is installed", () => {
    expect(nextRolloutStep([tenant("c", 0, "installed", "op1"), tenant("a", 1, "installed", "op2")])).toEqual({ kind: "finish", status: "succeeded" });
  });
});

describe("rollbackTargets and nextBundleVersion", () => {
  it("rolls back the tenants the rollout changed, not the ones it never reached", () => {
    expect(rollbackTargets([tenant("c", 0, "installed", "1"), tenant("a", 1, "failed", "2"), tenant("b", 2, "pending")])).toEqual(["c", "a"]);
  });

  it("bumps the version only when the modules change", () => {
    expect(nextBundleVersion({ version: 3, modules: ["crm", "mail"] }, ["mail", "crm"])).toBe(3);
    expect(nextBundleVersion({ version: 3, modules: ["crm", "mail"] }, ["crm"])).toBe(4);
  });
});
