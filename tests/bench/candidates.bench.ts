import pg from "pg";
import { log, startBenchDatabase } from "./bench-db";

/**
 * `npm run bench:candidates`: loads a ROWS-company registry (default
 * 1,000,000), then times one tenant's candidate refresh against a plain SELECT
 * of the same predicate. Last stdout line: { seconds, select_seconds, ratio, … }.
 */
const rows = Number(process.env.ROWS ?? 1_000_000);
const db = await startBenchDatabase("nexius_bench_candidates");
process.env.DATABASE_URL = db.ownerUrl;
process.env.APP_DATABASE_URL = db.appUrl;
process.env.LOG_LEVEL ??= "warn";
// The app modules read the environment when first used, so import them now.
const { acraSampleStream } = await import("../../app/registry/sample-generator");
const { ingestAcraFiles } = await import("../../app/registry/ingest.server");
const { saveIcpRules } = await import("../../app/icp/icp.server");
const { refreshCandidates } = await import("../../app/icp/candidates.server");
const { compileIcpPredicate } = await import("../../app/icp/predicate");
const { db: appDb, platformDb } = await import("../../app/db.server");

try {
  log(`loading a ${rows}-company registry`);
  await ingestAcraFiles({
    connectionString: db.ownerUrl,
    source: "bench",
    files: [{ name: "bench.csv", open: async () => ({ stream: acraSampleStream({ rows, seed: 2 }) }) }],
  });
  const owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  await owner.query("VACUUM ANALYZE staging_acra_companies");
  const { rows: tenants } = await owner.query<{ id: string }>("INSERT INTO tenants (slug, name, status) VALUES ('bench', 'Bench', 'active') RETURNING id");
  const tenantId = tenants[0]!.id;
  await owner.end();

  const saved = await saveIcpRules(tenantId, { sub: "bench" }, { industries: ["software", "it_services", "wholesale", "construction", "food_and_beverage"], employees: { min: 5, max: 500 } });
  const asOf = new Date();
  const where = compileIcpPredicate(saved.version.rules, { asOf, alias: "s" });
  const select = () =>
    appDb.$withTenant(tenantId, (tx) => tx.$queryRawUnsafe<Array<{ uen: string }>>(`SELECT s.uen FROM staging_acra_companies s WHERE ${where.text}`, ...where.params), {
      timeout: 600_000,
    });
  await select();
  let started = performance.now();
  const selected = await select();
  const selectSeconds = (performance.now() - started) / 1000;
  log(`plain SELECT: ${selected.length} rows in ${selectSeconds.toFixed(2)}s`);

  started = performance.now();
  const first = await refreshCandidates(tenantId, { reason: "bench", floor: 500, asOf });
  const seconds = (performance.now() - started) / 1000;
  log(`first refresh: ${first.candidateCount} candidates in ${seconds.toFixed(2)}s`);
  started = performance.now();
  const again = await refreshCandidates(tenantId, { reason: "bench", floor: 500, asOf });
  const repeatSeconds = (performance.now() - started) / 1000;
  log(`repeat refresh (nothing changed): ${again.added} added, ${again.removed} removed in ${repeatSeconds.toFixed(2)}s`);

  console.log(
    JSON.stringify({
      seconds: Math.round(seconds * 100) / 100,
      select_seconds: Math.round(selectSeconds * 100) / 100,
      ratio: Math.round((seconds / selectSeconds) * 100) / 100,
      candidates: first.candidateCount,
      registry_rows: rows,
      repeat_seconds: Math.round(repeatSeconds * 100) / 100,
      repeat_ratio: Math.round((repeatSeconds / selectSeconds) * 100) / 100,
    }),
  );
  await appDb.$disconnect();
  await platformDb.$disconnect();
} finally {
  await db.stop();
}
