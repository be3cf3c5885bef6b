import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, startStandIns, type StandIns } from "../support/platform";

/**
 * Module bundles against the Odoo simulator over HTTP, a database per tenant:
 * applying a bundle installs and removes modules as a module_apply operation,
 * and a rollout goes canary first, then batches, stops at the first failure
 * and rolls back the tenants it changed. Module states are read from the
 * simulator's own databases, not from our tables.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
const tenants: Record<string, string> = {};
const owner = { sub: "owner-sub", email: "owner@example.test" };

async function loadApp() {
  const [db, identity, provisioning, operations, bundles, rollouts] = await Promise.all([
    import("~/db.server"),
    import("~/auth/identity.server"),
    import("~/tenants/provisioning.server"),
    import("~/tenants/operations.server"),
    import("~/catalog/bundles.server"),
    import("~/catalog/rollouts.server"),
  ]);
  return {
    platformDb: db.platformDb,
    resolveIdentity: identity.resolveIdentity,
    runProvisioning: provisioning.runProvisioning,
    ...operations,
    ...bundles,
    ...rollouts,
  };
}

beforeAll(async () => {
  standIns = await startStandIns({ odooMode: "db_per_tenant" });
  app = await loadApp();
  for (const slug of ["alpha", "beta", "gamma"]) {
    const { tenant } = await app.resolveIdentity({
      sub: `${slug}-admin`,
      email: `admin@${slug}.test`,
      email_verified: true,
      tenant_id: `bundle-${slug}`,
      roles: ["admin"],
    });
    await app.runProvisioning(tenant!.id, { sub: `${slug}-admin`, email: `admin@${slug}.test` });
    tenants[slug] = tenant!.id;
  }
}, 60_000);

afterAll(async () => {
  await standIns?.stop();
});

/** The module states in the tenant's own Odoo database, as the simulator holds them. */
async function odooStates(slug: string, ...names: string[]): Promise<Record<string, string>> {
  const connection = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: tenants[slug]! } });
  const rows = standIns.odoo.state.database(connection.database).records("ir.module.module");
  return Object.fromEntries(names.map((n) => [n, String(rows.find((r) => r.name === n)?.state)]));
}

async function companyOf(slug: string): Promise<{ database: string; companyId: number }> {
  const connection = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: tenants[slug]! } });
  return { database: connection.database, companyId: connection.companyId! };
}

/** Runs what the worker would: each queued operation of the rollout, then the rollout's next move, until it rests. */
async function drive(rolloutId: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await app.advanceRollout(rolloutId);
    const queued = await app.platformDb.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM tenant_operations WHERE status IN ('queued', 'running') AND payload->>'rolloutId' = ${rolloutId} ORDER BY created_at`;
    if (queued.length === 0) {
      const { status } = await app.platformDb.bundleRollout.findUniqueOrThrow({ where: { id: rolloutId } });
      if (status !== "running" && status !== "rolling_back") return;
    }
    for (const op of queued) await app.runOperation(op.id);
  }
  throw new Error("the rollout did not come to rest");
}

async function rolloutStates(rolloutId: string): Promise<Record<string, { wave: number; state: string }>> {
  const rows = await app.platformDb.bundleRolloutTenant.findMany({ where: { rolloutId } });
  const slugOf = Object.fromEntries(Object.entries(tenants).map(([slug, id]) => [id, slug]));
  return Object.fromEntries(rows.map((r) => [slugOf[r.tenantId]!, { wave: r.wave, state: r.state }]));
}

describe("applying a bundle", () => {
  it("installs the bundle's modules with their dependencies as an operation whose log names each module, and a second apply changes nothing", async () => {
    expect(await app.saveBundle({ code: "crm-plus", name: "CRM plus", description: "", type: "vertical", modules: ["crm_lead_code"] })).toEqual({
      code: "crm-plus",
      version: 1,
      created: true,
    });
    expect(await odooStates("alpha", "crm_lead_code")).toEqual({ crm_lead_code: "uninstalled" });
    const asked = await app.requestBundleApply(tenants.alpha!, { bundle: "crm-plus", source: "ui", actor: owner });
    if (!asked.ok) throw new Error(asked.reason);
    const planned = await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: asked.operationId } });
    expect(planned).toMatchObject({ type: "module_apply", payload: { bundle: "crm-plus", version: 1, install: ["crm_lead_code"], remove: [] } });
    await app.runOperation(asked.operationId);
    const done = await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: asked.operationId } });
    expect(done).toMatchObject({ status: "succeeded", stepsDone: ["install_modules", "remove_modules", "record_bundle", "restore_status"] });
    expect((done.logs as Array<{ message: string }>).map((l) => l.message)).toEqual(
      expect.arrayContaining(["crm_lead_code: installed", "nothing to uninstall"]),
    );
    expect(await odooStates("alpha", "crm_lead_code", "crm")).toEqual({ crm_lead_code: "installed", crm: "installed" });
    expect(await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenants.alpha! } })).toMatchObject({
      bundleCode: "crm-plus",
      bundleVersion: 1,
      status: "active",
    });

    const again = await app.requestBundleApply(tenants.alpha!, { bundle: "crm-plus", source: "ui", actor: owner });
    if (!again.ok) throw new Error(again.reason);
    expect(await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: again.operationId } })).toMatchObject({
      payload: { install: [], remove: [] },
    });
    await app.runOperation(again.operationId);
  });

  it("is asked for over the API with the bundle's code, and refuses a module Odoo does not have", async () => {
    const token = await mintToken(standIns.idp, { sub: "api-operator", email: "operator@example.test", roles: ["platform_operator"] });
    const { action } = await import("~/routes/api+/tenants.$id.operations");
    const post = async (json: unknown) => {
      const request = new Request(new URL(`/api/tenants/${tenants.beta}/operations`, "http://localhost:3999"), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(json),
      });
      const response = await invoke(action, request, { id: tenants.beta! });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const accepted = await post({ type: "module_apply", params: { bundle: "crm-plus" } });
    expect(accepted).toMatchObject({ status: 202, body: { status: "queued" } });
    await app.runOperation(accepted.body.operation_id as string);
    expect(await odooStates("beta", "crm_lead_code")).toEqual({ crm_lead_code: "installed" });

    await app.saveBundle({ code: "ghost", name: "Ghost", description: "", type: "addon", modules: ["no_such_module"] });
    expect(await post({ type: "module_apply", params: { bundle: "ghost" } })).toMatchObject({
      status: 400,
      body: { message: "The workspace's Odoo has no module named no_such_module" },
    });
    const listed = await invoke((await import("~/routes/api+/catalog.bundles")).loader, appRequest("/api/catalog/bundles", { token }));
    expect(((await listed.json()) as { items: Array<{ code: string; version: number }> }).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "crm-plus", version: 1 })]),
    );
  });
});

describe("a rollout in waves", () => {
  it("goes canary first, stops at the first failure leaving the rest pending, and a rollback undoes what it changed", async () => {
    // Version 2 adds two modules; installing partner_firstname breaks on gamma's company.
    expect(
      await app.saveBundle({
        code: "crm-plus",
        name: "CRM plus",
        description: "Leads with codes",
        type: "vertical",
        modules: ["crm_lead_code", "partner_firstname", "sale_management"],
      }),
    ).toMatchObject({ version: 2 });
    const gamma = await companyOf("gamma");
    standIns.odoo.faults.failModuleInstall({ db: gamma.database, module: "sale_management", companyId: gamma.companyId });

    const started = await app.startRollout({
      bundleCode: "crm-plus",
      tenantIds: [tenants.alpha!, tenants.gamma!, tenants.beta!],
      canaryTenantId: tenants.alpha!,
      batchSize: 1,
      actor: owner,
    });
    if (!started.ok) throw new Error(started.reason);
    await app.advanceRollout(started.rolloutId);
    // The canary alone runs first.
    expect(await rolloutStates(started.rolloutId)).toEqual({
      alpha: { wave: 0, state: "pending" },
      gamma: { wave: 1, state: "pending" },
      beta: { wave: 2, state: "pending" },
    });
    expect(await app.platformDb.bundleRolloutTenant.count({ where: { rolloutId: started.rolloutId, operationId: { not: null } } })).toBe(1);

    await drive(started.rolloutId);
    expect(await app.platformDb.bundleRollout.findUniqueOrThrow({ where: { id: started.rolloutId } })).toMatchObject({
      status: "stopped",
      version: 2,
      previousVersion: 1,
    });
    expect(await rolloutStates(started.rolloutId)).toEqual({
      alpha: { wave: 0, state: "installed" },
      gamma: { wave: 1, state: "failed" },
      beta: { wave: 2, state: "pending" },
    });
    const failed = await app.platformDb.bundleRolloutTenant.findUniqueOrThrow({
      where: { rolloutId_tenantId: { rolloutId: started.rolloutId, tenantId: tenants.gamma! } },
    });
    expect(failed.error).toMatch(/^Odoo refused to install sale_management: Module "sale_management" could not be installed/);
    // What Odoo holds: the canary has version 2; gamma got the modules before the one that failed; beta was never reached.
    expect(await odooStates("alpha", "partner_firstname", "sale_management")).toEqual({ partner_firstname: "installed", sale_management: "installed" });
    expect(await odooStates("gamma", "partner_firstname", "sale_management", "sale")).toEqual({
      partner_firstname: "installed",
      sale_management: "uninstalled",
      sale: "uninstalled",
    });
    expect(await odooStates("beta", "partner_firstname", "sale_management")).toEqual({ partner_firstname: "uninstalled", sale_management: "uninstalled" });
    expect(await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenants.gamma! } })).toMatchObject({ status: "error" });

    expect(await app.rollbackRollout(started.rolloutId)).toEqual({ ok: true, rolloutId: started.rolloutId });
    await drive(started.rolloutId);
    expect(await app.platformDb.bundleRollout.findUniqueOrThrow({ where: { id: started.rolloutId } })).toMatchObject({ status: "rolled_back" });
    expect(await rolloutStates(started.rolloutId)).toEqual({
      alpha: { wave: 0, state: "removed" },
      gamma: { wave: 1, state: "removed" },
      beta: { wave: 2, state: "pending" },
    });
    for (const slug of ["alpha", "gamma"]) {
      expect(await odooStates(slug, "crm_lead_code", "partner_firstname", "sale_management")).toEqual({
        crm_lead_code: "installed",
        partner_firstname: "uninstalled",
        sale_management: "uninstalled",
      });
    }
    expect(
      await app.platformDb.tenant.findMany({ where: { id: { in: [tenants.alpha!, tenants.gamma!] } }, select: { bundleVersion: true, status: true } }),
    ).toEqual([
      { bundleVersion: 1, status: "active" },
      { bundleVersion: 1, status: "active" },
    ]);
    expect(await app.rollbackRollout(started.rolloutId)).toMatchObject({ ok: false, status: 409 });
  });
});
