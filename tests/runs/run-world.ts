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
