import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * /admin/infra/warm-pool against the Odoo simulator: the pool's counts, size,
 * template and copies (with the tenant that claimed each); "Refill now"
 * queues the cron's own job; a failed copy is dropped in Odoo and forgotten;
 * copies a stopped worker left `creating` are reclaimed for a retry. Each
 * lever is recorded with who pulled it.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let owner: string;

async function loadApp() {
  const [db, connection, pool, route, worker] = await Promise.all([
    import("~/db.server"),
    import("~/odoo/connection.server"),
    import("~/odoo/warm-pool.server"),
    import("~/routes/admin+/infra.warm-pool"),
    import("graphile-worker"),
  ]);
  return { platformDb: db.platformDb, connection, pool, route, parseCrontab: worker.parseCrontab };
}

beforeAll(async () => {
  standIns = await startStandIns({ odooMode: "db_per_tenant", env: { ODOO_WARM_POOL_SIZE: "2" } });
  app = await loadApp();
  owner = (await memberCookie("pool-owner", ["platform_owner"], null, "pool.owner@example.test")).cookie;
});
afterAll(async () => {
  await standIns?.stop();
});

const config = () => app.pool.warmPoolConfig(app.connection.odooSettings().masterPassword);
const odooDatabases = () => app.connection.odooClient().db.list();

async function page(query = "") {
  const response = await invoke(app.route.loader, appRequest(`/admin/infra/warm-pool${query}`, { cookie: owner }));
  expect(response.status).toBe(200);
  return response.json();
}

async function press(form: Record<string, string>, cookie = owner) {
  const response = await invoke(app.route.action, appRequest("/admin/infra/warm-pool", { method: "POST", cookie, form }));
  return { status: response.status, body: response.status === 200 ? ((await response.json()) as { ok: boolean; message: string }) : null };
}

const refillJobs = () =>
  app.platformDb.$queryRaw<Array<{ key: string | null }>>`SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'refill_warm_pool'`;

describe("the warm pool page", () => {
  it("shows the counts by state, the target size, the template and each copy with the tenant that claimed it", async () => {
    await app.pool.refillWarmPool(app.connection.odooClient(), config());
    const tenant = await app.platformDb.tenant.create({ data: { slug: "pool-claimer", name: "Pool Claimer", status: "active" } });
    const claimed = await app.pool.claimWarmDatabase(tenant.id);
    await app.platformDb.odooWarmDatabase.create({
      data: {
        dbName: "nexius_warm_failed1",
        template: config().template,
        state: "failed",
        error: "odoo.exceptions.UserError: no",
        attempts: 2,
        retryAt: new Date(),
      },
    });
    const body = await page();
    expect(body).toMatchObject({
      size: 2,
      template: "nexius_warm_template",
      counts: { creating: 0, ready: 1, claimed: 1, failed: 1 },
      total: 3,
      staleCreating: 0,
    });
    const rows = Object.fromEntries(body.rows.map((r: { dbName: string }) => [r.dbName, r]));
    expect(rows[claimed!]).toMatchObject({ state: "claimed", tenant: { id: tenant.id, name: "Pool Claimer" } });
    expect(rows.nexius_warm_failed1).toMatchObject({ state: "failed", error: "odoo.exceptions.UserError: no", attempts: 2 });
    // Every copy the page calls ready or claimed is a database Odoo has.
    const listed = await odooDatabases();
    for (const r of body.rows.filter((r: { state: string }) => r.state !== "failed")) expect(listed).toContain(r.dbName);

    const failedOnly = await page("?state=failed");
    expect(failedOnly.rows.map((r: { dbName: string }) => r.dbName)).toEqual(["nexius_warm_failed1"]);
    expect(failedOnly.total).toBe(1);
  });

  it("pages through the copies twenty at a time", async () => {
    await app.platformDb.odooWarmDatabase.createMany({
      data: Array.from({ length: 20 }, (_, i) => ({
        dbName: `nexius_warm_old${String(i).padStart(2, "0")}`,
        template: "t",
        state: "claimed",
        createdAt: new Date(2020, 0, 1 + i),
      })),
    });
    const first = await page();
    expect(first).toMatchObject({ page: 1, pages: 2, total: 23 });
    expect(first.rows).toHaveLength(20);
    // Oldest last: the two oldest filler copies make page 2 with the third.
    const second = await page("?page=2");
    expect(second.rows.map((r: { dbName: string }) => r.dbName)).toEqual(["nexius_warm_old02", "nexius_warm_old01", "nexius_warm_old00"]);
    await app.platformDb.odooWarmDatabase.deleteMany({ where: { dbName: { startsWith: "nexius_warm_old" } } });
  });

  it("queues a refill under the cron's job key when an owner or operator presses Refill now, and records who did", async () => {
    const items = app.parseCrontab(await readFile("crontab", "utf8"));
    expect(items.find((item) => item.task === "refill_warm_pool")?.options.jobKey).toBe(app.pool.REFILL_WARM_POOL_JOB_KEY);

    await app.platformDb
      .$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE task_id IN (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'refill_warm_pool')`;
    expect((await press({ intent: "refill" })).body).toMatchObject({ ok: true });
    const operator = (await memberCookie("pool-operator", ["platform_operator"], null)).cookie;
    expect((await press({ intent: "refill" }, operator)).body).toMatchObject({ ok: true });
    // Two presses, one waiting refill: the second moved the first rather than adding another.
    expect(await refillJobs()).toEqual([{ key: app.pool.REFILL_WARM_POOL_JOB_KEY }]);
    const actions = await app.platformDb.odooWarmPoolAction.findMany({ where: { action: "refill" }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.actorEmail)).toEqual(["pool.owner@example.test", "pool-operator@example.test"]);

    const finance = (await memberCookie("pool-finance", ["finance_owner"], null)).cookie;
    expect((await press({ intent: "refill" }, finance)).status).toBe(403);
  });

  it("discards a failed copy: Odoo drops the database, the row goes, and the discard is recorded", async () => {
    const client = app.connection.odooClient();
    // A copy that failed after Odoo made it (half-made): it exists in Odoo.
    await client.db.duplicateDatabase(config().master, config().template, "nexius_warm_halfmade");
    await app.platformDb.odooWarmDatabase.create({
      data: { dbName: "nexius_warm_halfmade", template: config().template, state: "failed", error: "timeout", attempts: 1 },
    });
    expect(await odooDatabases()).toContain("nexius_warm_halfmade");

    const { body } = await press({ intent: "discard", dbName: "nexius_warm_halfmade" });
    expect(body).toEqual({ ok: true, message: "nexius_warm_halfmade dropped in Odoo and discarded." });
    expect(await odooDatabases()).not.toContain("nexius_warm_halfmade");
    expect(await app.platformDb.odooWarmDatabase.findUnique({ where: { dbName: "nexius_warm_halfmade" } })).toBeNull();
    expect(await app.platformDb.odooWarmPoolAction.findFirst({ where: { action: "discard", dbName: "nexius_warm_halfmade" } })).toMatchObject({
      actorEmail: "pool.owner@example.test",
      details: { dropped: true, error: "timeout", attempts: 1 },
    });

    // A copy that failed before Odoo made anything: nothing to drop, the row still goes.
    expect((await press({ intent: "discard", dbName: "nexius_warm_failed1" })).body).toEqual({
      ok: true,
      message: "nexius_warm_failed1 discarded (Odoo had no such database).",
    });
  });

  it("refuses to discard a copy that has not failed, and a name that is not a database's", async () => {
    const ready = await app.platformDb.odooWarmDatabase.findFirstOrThrow({ where: { state: "ready" } });
    const { body } = await press({ intent: "discard", dbName: ready.dbName });
    expect(body).toEqual({ ok: false, message: `${ready.dbName} is ready; only failed copies can be discarded.` });
    expect(await odooDatabases()).toContain(ready.dbName);
    expect((await press({ intent: "discard", dbName: "x; DROP" })).status).toBe(400);
    expect((await press({ intent: "explode" })).status).toBe(400);
  });

  it("reclaims copies left creating by a stopped worker, and the refill retries them", async () => {
    const old = new Date(Date.now() - 20 * 60_000);
    await app.platformDb.odooWarmDatabase.updateMany({ where: { state: "ready" }, data: { state: "claimed" } });
    await app.platformDb.odooWarmDatabase.createMany({
      data: [
        { dbName: "nexius_warm_orphan", template: config().template, state: "creating", createdAt: old, startedAt: old },
        { dbName: "nexius_warm_busy", template: config().template, state: "creating" },
        // A retry started just now of a copy first made long ago: not stale.
        { dbName: "nexius_warm_retrying", template: config().template, state: "creating", createdAt: old, attempts: 1 },
      ],
    });
    expect((await page()).staleCreating).toBe(1);
    await app.platformDb
      .$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE task_id IN (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'refill_warm_pool')`;

    const { body } = await press({ intent: "reclaim" });
    expect(body).toMatchObject({ ok: true, message: expect.stringContaining("nexius_warm_orphan") });
    const orphan = await app.platformDb.odooWarmDatabase.findUniqueOrThrow({ where: { dbName: "nexius_warm_orphan" } });
    expect(orphan).toMatchObject({ state: "failed", attempts: 1 });
    expect(orphan.error).toMatch(/did not finish within 15 minutes/);
    expect(orphan.retryAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await app.platformDb.odooWarmDatabase.findUniqueOrThrow({ where: { dbName: "nexius_warm_busy" } })).toMatchObject({ state: "creating" });
    expect(await refillJobs()).toHaveLength(1);
    expect(await app.platformDb.odooWarmPoolAction.findFirst({ where: { action: "reclaim" } })).toMatchObject({ dbName: "nexius_warm_orphan" });
    expect((await press({ intent: "reclaim" })).body).toEqual({ ok: false, message: "No copy has been creating for that long: nothing to reclaim." });

    // The two live `creating` rows hold the pool's two slots; once they are gone, the refill takes the reclaimed one first.
    await app.platformDb.odooWarmDatabase.deleteMany({ where: { dbName: { in: ["nexius_warm_busy", "nexius_warm_retrying"] } } });
    const result = await app.pool.refillWarmPool(app.connection.odooClient(), config());
    expect(result.made).toContain("nexius_warm_orphan");
    expect(await app.platformDb.odooWarmDatabase.findUniqueOrThrow({ where: { dbName: "nexius_warm_orphan" } })).toMatchObject({ state: "ready" });
    expect(await odooDatabases()).toContain("nexius_warm_orphan");
  });

  it("does not call a copy ready that was reclaimed while Odoo was still making it", async () => {
    const { reclaimStaleCopies } = await import("~/odoo/warm-pool-admin.server");
    await app.platformDb.odooWarmDatabase.updateMany({ where: { state: { in: ["ready", "creating"] } }, data: { state: "claimed" } });
    const real = app.connection.odooClient();
    let reclaimed: string[] = [];
    // A copy that outlasts the stale limit: an operator reclaims it before Odoo answers.
    const slow = Object.assign(Object.create(real) as typeof real, {
      db: {
        ...real.db,
        duplicateDatabase: async (...args: Parameters<typeof real.db.duplicateDatabase>) => {
          if (reclaimed.length === 0) reclaimed = await reclaimStaleCopies({ sub: "pool-owner-sub" }, new Date(Date.now() + 20 * 60_000));
          return real.db.duplicateDatabase(...args);
        },
      },
    });
    standIns.odoo.state.resetCalls();
    const result = await app.pool.refillWarmPool(slow, { ...config(), size: 1 });
    expect(reclaimed).toHaveLength(1);
    // The slow attempt's copy is not trusted: the retry (due at once) drops it and copies the template again.
    expect(result.made).toEqual(reclaimed);
    expect(standIns.odoo.state.countCalls({ service: "db", method: "drop" })).toBe(1);
    expect(standIns.odoo.state.countCalls({ service: "db", method: "duplicate_database" })).toBe(2);
    expect(await app.platformDb.odooWarmDatabase.findUniqueOrThrow({ where: { dbName: reclaimed[0]! } })).toMatchObject({ state: "ready", attempts: 1 });
  });
});
