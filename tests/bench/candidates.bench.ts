import { parseArgs } from "node:util";
import pg from "pg";
import { log, startBenchDatabase } from "./bench-db";

/**
 * `npm run bench:candidates [-- --rows N]`: loads an N-company registry
 * (default 1,000,000, or ROWS), then times one tenant's candidate refresh in
 * three cases against fair baselines: the first fill against
 * `CREATE TEMP TABLE … AS SELECT` of the same set (a write, like ours); a
 * refresh with nothing changed; and a refresh after a registry load changed
 * 1 % of the companies, against the plain SELECT of the predicate.
 * Last stdout line: { seconds, write_baseline_seconds, write_ratio, repeat_seconds, changed_seconds, changed_ratio, … }.
 */
const { values: args } = parseArgs({ options: { rows: { type: "string" } } });
const rows = Number(args.rows ?? process.env.ROWS ?? 1_000_000);
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
const round = (n: number) => Math.round(n * 1000) / 1000;

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

  const saved = await saveIcpRules(
    tenantId,
    { sub: "bench" },
    { industries: ["software", "it_services", "wholesale", "construction", "food_and_beverage"], employees: { min: 5, max: 500 } },
  );
  const asOf = new Date();
  const where = compileIcpPredicate(saved.version.rules, { asOf, alias: "s" });
  const timed = async <T>(work: () => Promise<T>) => {
    const started = performance.now();
    const result = await work();
    return { result, seconds: (performance.now() - started) / 1000 };
  };
  const select = () =>
    appDb.$withTenant(
      tenantId,
      (tx) => tx.$queryRawUnsafe<Array<{ uen: string }>>(`SELECT s.uen FROM staging_acra_companies s WHERE ${where.text}`, ...where.params),
      {
        timeout: 600_000,
      },
    );
  const writeBaseline = () =>
    appDb.$withTenant(
      tenantId,
      (tx) =>
        tx.$executeRawUnsafe(
          `CREATE TEMP TABLE bench_candidates ON COMMIT DROP AS SELECT s.uen FROM staging_acra_companies s WHERE ${where.text}`,
          ...where.params,
        ),
      { timeout: 600_000 },
    );
  await select();
  const plain = await timed(select);
  log(`plain SELECT: ${plain.result.length} rows in ${plain.seconds.toFixed(2)}s`);
  await writeBaseline();
  const write = await timed(writeBaseline);
  log(`CREATE TEMP TABLE … AS SELECT: ${write.seconds.toFixed(2)}s`);

  const refresh = () => refreshCandidates(tenantId, { reason: "bench", floor: 500, asOf });
  await owner.query("CHECKPOINT");
  const first = await timed(refresh);
  log(`first fill: ${first.result.candidateCount} candidates in ${first.seconds.toFixed(2)}s (${round(first.seconds / write.seconds)}× the write)`);
  const again = await timed(refresh);
  log(`refresh with nothing changed: ${again.result.added} added, ${again.result.removed} removed in ${again.seconds.toFixed(3)}s`);

  // A registry load that changed 1 % of the companies: every hundredth changes status or industry.
  const { rows: runs } = await owner.query<{ id: string }>(
    "INSERT INTO acra_ingestion_runs (source, status, finished_at) VALUES ('bench-1%', 'succeeded', now()) RETURNING id",
  );
  const changed = await owner.query(
    `UPDATE staging_acra_companies SET last_run_id = $1, updated_at = now(),
       entity_status_description = CASE WHEN entity_status_description = 'Live Company' THEN 'Struck Off' ELSE 'Live Company' END,
       primary_ssic_code = CASE WHEN hashtext(uen) % 2 = 0 THEN '62011' ELSE primary_ssic_code END
     WHERE hashtext(uen) % 100 = 0`,
    [runs[0]!.id],
  );
  await owner.query("VACUUM ANALYZE staging_acra_companies");
  await owner.query("CHECKPOINT");
  await select();
  const plainAfter = await timed(select);
  const afterChange = await timed(refresh);
  log(
    `refresh after ${changed.rowCount} companies (1 %) changed: ${afterChange.result.added} added, ${afterChange.result.removed} removed in ` +
      `${afterChange.seconds.toFixed(2)}s; the plain SELECT now takes ${plainAfter.seconds.toFixed(2)}s`,
  );
  await owner.end();

  console.log(
    JSON.stringify({
      seconds: round(first.seconds),
      write_baseline_seconds: round(write.seconds),
      write_ratio: round(first.seconds / write.seconds),
      repeat_seconds: round(again.seconds),
      changed_seconds: round(afterChange.seconds),
      select_seconds: round(plainAfter.seconds),
      changed_ratio: round(afterChange.seconds / plainAfter.seconds),
      candidates: first.result.candidateCount,
      registry_rows: rows,
      changed_rows: changed.rowCount,
    }),
  );
  await appDb.$disconnect();
  await platformDb.$disconnect();
} finally {
  await db.stop();
}
