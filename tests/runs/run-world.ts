import { randomBytes } from "node:crypto";
import pg from "pg";
import { ensureDemoRegistry } from "../../app/dev/demo-registry.server";
import { startDevWorld, type DevWorld } from "../sims/dev-world/dev-world";

/**
 * For run tests: a small registry sample in this file's database, the dev
 * world built from it (fast latencies), and the env that points the lead
 * engine at it. Call before importing any app module (env is read once).
 */
export async function startRunWorld(options: { rows?: number; faultRate?: number } = {}): Promise<DevWorld> {
  await ensureDemoRegistry({ connectionString: process.env.DATABASE_URL!, rows: options.rows ?? 80, seed: 11 });
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query<{ uen: string; name: string; ssicCode: string | null; ssicDescription: string | null }>(
    `SELECT uen, entity_name AS name, primary_ssic_code AS "ssicCode", primary_ssic_description AS "ssicDescription" FROM staging_acra_companies`,
  );
  await client.end();
  const world = await startDevWorld({
    companies: rows.map((r) => ({ uen: r.uen, name: r.name, ssicCode: r.ssicCode ?? undefined, ssicDescription: r.ssicDescription ?? undefined })),
    seed: "run-tests",
    profile: "fast",
    faultRate: options.faultRate ?? 0,
  });
  Object.assign(process.env, world.env, {
    SECRET_KEYS: process.env.SECRET_KEYS ?? `test:${randomBytes(32).toString("base64")}`,
    // Politeness is the crawler's own concern (tested there); runs here should not wait on it.
    CRAWL_MIN_DELAY_MS: "0",
    CRAWL_MAX_CRAWL_DELAY_S: "0",
  });
  return world;
}

/**
 * A tenant with ICP rules and a worker running its jobs, for run tests that
 * start runs and wait for them. Call after startRunWorld (it imports app modules).
 */
export async function startRunTenant(slug: string, options: { dailyCap: number; concurrency: number }) {
  const db = await import("~/db.server");
  const { saveIcpRules } = await import("~/icp/icp.server");
  const { startWorker } = await import("~/jobs/worker.server");
  const tenant = await db.platformDb.tenant.create({ data: { slug, name: slug, status: "active" } });
  await db.platformDb.tenantSettings.create({ data: { tenantId: tenant.id, odooPushMode: "on_approval" } });
  await saveIcpRules(tenant.id, { sub: "test", email: null }, { dailyCap: options.dailyCap });
  return {
    tenantId: tenant.id,
    db,
    runs: await import("~/runs/start-run.server"),
    events: await import("~/runs/run-events.server"),
    worker: await startWorker({ concurrency: options.concurrency, pollInterval: 50, crontabFile: null }),
  };
}
