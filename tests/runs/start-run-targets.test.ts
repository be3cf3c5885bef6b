import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDemoRegistry } from "../../app/dev/demo-registry.server";

/**
 * Picking a run's targets is one transaction (the targets, the run's count
 * and its "targets" event commit together). For a large run on a busy
 * machine it outlasts the 15 s a web request's transaction gets: a
 * 5,000-company run at load 21 never started. Here the insert of the
 * targets is made slow on purpose (a statement trigger sleeps 16 s).
 */
let app: {
  db: typeof import("~/db.server");
  icp: typeof import("~/icp/icp.server");
  runs: typeof import("~/runs/start-run.server");
};

beforeAll(async () => {
  await ensureDemoRegistry({ connectionString: process.env.DATABASE_URL!, rows: 80, seed: 11 });
  Object.assign(process.env, { SECRET_KEYS: process.env.SECRET_KEYS ?? `test:${randomBytes(32).toString("base64")}`, CRAWLER_OFFLINE: "true" });
  app = { db: await import("~/db.server"), icp: await import("~/icp/icp.server"), runs: await import("~/runs/start-run.server") };
}, 120_000);

describe("a run's targets", () => {
  it("are recorded when writing them takes longer than a web request's transaction may", async () => {
    const tenant = await app.db.platformDb.tenant.create({ data: { slug: "slow-targets", name: "Slow targets", status: "active" } });
    await app.icp.saveIcpRules(tenant.id, { sub: "test", email: null }, { dailyCap: 5 });
    await app.db.platformDb.$executeRawUnsafe(`
      CREATE FUNCTION slow_run_companies() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(16); RETURN NULL; END $$`);
    await app.db.platformDb.$executeRawUnsafe(`
      CREATE TRIGGER slow_run_companies BEFORE INSERT ON run_companies FOR EACH STATEMENT EXECUTE FUNCTION slow_run_companies()`);
    try {
      const { runId } = await app.runs.startRun(tenant.id, { kind: "nightly", actor: null });
      await app.runs.launchRun(tenant.id, runId);
      const run = await app.db.db.$withTenant(tenant.id, (tx) => tx.run.findFirstOrThrow({ where: { id: runId }, select: { targetCount: true } }));
      const targets = await app.db.db.$withTenant(tenant.id, (tx) => tx.runCompany.count({ where: { runId } }));
      expect(run.targetCount).toBe(5);
      expect(targets).toBe(5);
    } finally {
      await app.db.platformDb.$executeRawUnsafe("DROP TRIGGER slow_run_companies ON run_companies");
    }
  }, 90_000);
});
