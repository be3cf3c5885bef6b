import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandIns, type StandIns } from "../support/platform";

/**
 * The db_per_tenant warm pool against the Odoo simulator: refills make copies
 * with duplicate_database up to the size and no further, even concurrently;
 * a first login claims a copy without create_database; an empty pool falls
 * back to creating the tenant's database.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;

async function loadApp() {
  const [db, identity, provisioning, connection, pool] = await Promise.all([
    import("~/db.server"),
    import("~/auth/identity.server"),
    import("~/tenants/provisioning.server"),
    import("~/odoo/connection.server"),
    import("~/odoo/warm-pool.server"),
  ]);
  return { platformDb: db.platformDb, resolveIdentity: identity.resolveIdentity, runProvisioning: provisioning.runProvisioning, connection, pool };
}

beforeAll(async () => {
  standIns = await startStandIns({ odooMode: "db_per_tenant", env: { ODOO_WARM_POOL_SIZE: "2" } });
  app = await loadApp();
});
afterAll(async () => {
  await standIns?.stop();
});

const config = () => app.pool.warmPoolConfig(app.connection.odooSettings().masterPassword);
const refill = () => app.pool.refillWarmPool(app.connection.odooClient(), config());
const ready = () => app.platformDb.odooWarmDatabase.count({ where: { state: "ready" } });

async function firstLogin() {
  const tag = randomBytes(3).toString("hex");
  const sub = `owner-${tag}`;
  const { tenant } = await app.resolveIdentity({ sub, email: `owner.${tag}@example.test`, email_verified: true, name: `Owner ${tag}`, roles: [] });
  const status = await app.runProvisioning(tenant!.id, { sub, email: null });
  return { tenant: tenant!, status };
}

describe("warm pool", () => {
  it("refills to the pool size with duplicate_database, and concurrent refills do not overshoot", async () => {
    standIns.odoo.state.resetCalls();
    const results = await Promise.all([refill(), refill(), refill()]);
    expect(results.flatMap((r) => r.made)).toHaveLength(2);
    expect(await ready()).toBe(2);
    expect(standIns.odoo.state.countCalls({ service: "db", method: "duplicate_database" })).toBe(2);
    expect((await refill()).made).toEqual([]);
  });

  it("gives a first login a ready copy without create_database, and the refill brings the pool back", async () => {
    standIns.odoo.state.resetCalls();
    const { tenant, status } = await firstLogin();
    expect(status.status).toBe("ready");
    expect(standIns.odoo.state.countCalls({ service: "db", method: "create_database" })).toBe(0);
    const claimed = await app.platformDb.odooWarmDatabase.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(claimed.state).toBe("claimed");
    const connection = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(connection.database).toBe(claimed.dbName);
    // The copy's admin password is the tenant's own now, not the template's.
    const adminPassword = app.connection.openOdooSecret(connection, "admin");
    const client = app.connection.odooClient();
    expect(await client.authenticate(claimed.dbName, "admin", adminPassword)).toBe(2);
    expect(await client.authenticate(claimed.dbName, "admin", app.pool.templateAdminPassword(config()))).toBe(false);
    expect(standIns.odoo.state.database(claimed.dbName).records("res.company")[0]!.name).toBe(tenant.name);

    expect(await ready()).toBe(1);
    expect((await refill()).made).toHaveLength(1);
    expect(await ready()).toBe(2);
  });

  it("records a failed copy with its error and a backoff", async () => {
    await app.platformDb.odooWarmDatabase.updateMany({ where: { state: "ready" }, data: { state: "claimed" } });
    standIns.odoo.faults.failNext({ service: "db", method: "duplicate_database", error: "UserError" });
    const result = await refill();
    expect(result.failed).toHaveLength(1);
    const failed = await app.platformDb.odooWarmDatabase.findUniqueOrThrow({ where: { dbName: result.failed[0]! } });
    expect(failed).toMatchObject({ state: "failed", attempts: 1 });
    // Odoo's own words, as the operator will read them.
    expect(failed.error).toBe("odoo.exceptions.UserError: Simulated failure (fault injection)");
    expect(failed.retryAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it("falls back to create_database when nothing is ready", async () => {
    await app.platformDb.odooWarmDatabase.deleteMany({ where: { state: { in: ["ready", "creating"] } } });
    standIns.odoo.state.resetCalls();
    const { tenant, status } = await firstLogin();
    expect(status.status).toBe("ready");
    expect(standIns.odoo.state.countCalls({ service: "db", method: "create_database" })).toBe(1);
    expect(await app.platformDb.odooWarmDatabase.findUnique({ where: { tenantId: tenant.id } })).toBeNull();
  });
});
