import { parseArgs } from "node:util";
import pg from "pg";
import { log, startBenchDatabase } from "./bench-db";

/**
 * `npm run bench:candidates [-- --rows N --rounds R]`: loads an N-company
 * registry (default 1,000,000, or ROWS), then times one tenant's candidate
 * refresh in three cases against fair baselines: the first fill against
 * `CREATE TEMP TABLE … AS SELECT` of the same set (a write, like ours); a
 * refresh with nothing changed; and a refresh after a registry load changed
 * 1 % of the companies, against the plain SELECT of the predicate.
 * Each case runs R rounds (default 5, or ROUNDS) after one untimed run of
 * each side; within a round ours and the baseline run back to back through
 * the same pool and role, each after a CHECKPOINT, taking turns to go first.
 * The seconds are medians over the rounds, the ratios the medians of each
 * round's ratio (the two sides of a round share its load).
 * Last stdout line: { seconds, write_baseline_seconds, write_ratio, repeat_seconds, changed_seconds, changed_ratio, … }.
 */
const { values: args } = parseArgs({ options: { rows: { type: "string" }, rounds: { type: "string" } } });
const rows = Number(args.rows ?? process.env.ROWS ?? 1_000_000);
const rounds = Number(args.rounds ?? process.env.ROUNDS ?? 5);
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
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

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
  const refresh = () => refreshCandidates(tenantId, { reason: "bench", floor: 500, asOf });
  // Forgets the tenant's set and refresh history, so the next refresh is a first fill again.
  const forget = async () => {
    await owner.query("DELETE FROM icp_candidate_blocks WHERE tenant_id = $1", [tenantId]);
    await owner.query("DELETE FROM icp_candidate_refreshes WHERE tenant_id = $1", [tenantId]);
  };
  // Each measurement starts from the same state: no dirty pages left for it to write out.
  const measured = async <T>(work: () => Promise<T>) => {
    await owner.query("CHECKPOINT");
    return timed(work);
  };
  /** Runs `ours` and `theirs` once per round, alternating which goes first, so a change in load hits both alike. */
  const interleaved = async <A, B>(prepare: (round: number) => Promise<void>, ours: () => Promise<A>, theirs: () => Promise<B>) => {
    const pairs: Array<{ ours: { result: A; seconds: number }; theirs: { result: B; seconds: number } }> = [];
    for (let round = 0; round < rounds; round++) {
      await prepare(round);
      if (round % 2 === 0) {
        const t = await measured(theirs);
        pairs.push({ theirs: t, ours: await measured(ours) });
      } else {
        const o = await measured(ours);
        pairs.push({ ours: o, theirs: await measured(theirs) });
      }
    }
    return {
      last: pairs.at(-1)!.ours.result,
      ours: median(pairs.map((p) => p.ours.seconds)),
      theirs: median(pairs.map((p) => p.theirs.seconds)),
      // Each round's two measurements ran back to back: the median of their ratios is the least sensitive to load.
      ratio: median(pairs.map((p) => p.ours.seconds / p.theirs.seconds)),
      rounds: pairs.map((p) => ({ ours: round(p.ours.seconds), theirs: round(p.theirs.seconds) })),
    };
  };

  // Both sides warm up alike: one untimed run each over the same registry pages.
  await select();
  await writeBaseline();
  await refresh();
  const fills = await interleaved(forget, refresh, writeBaseline);
  log(
    `first fill: ${fills.last.candidateCount} candidates in ${fills.ours.toFixed(2)}s, CREATE TEMP TABLE … AS SELECT ${fills.theirs.toFixed(2)}s ` +
      `(medians of ${rounds}; ${round(fills.ratio)}× the write) ${JSON.stringify(fills.rounds)}`,
  );
  const repeats: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const again = await measured(refresh);
    if (again.result.added !== 0 || again.result.removed !== 0) throw new Error(`an unchanged refresh wrote ${JSON.stringify(again.result)}`);
    repeats.push(again.seconds);
  }
  log(`refresh with nothing changed: ${repeats.map((r) => r.toFixed(3)).join(", ")}s`);

  // Each round, a registry load changes another 1 % of the companies: every hundredth changes status or industry.
  const changedRows: number[] = [];
  const changeOnePercent = async (slice: number) => {
    const { rows: runs } = await owner.query<{ id: string }>(
      "INSERT INTO acra_ingestion_runs (source, status, finished_at) VALUES ('bench-1%', 'succeeded', now()) RETURNING id",
    );
    const changed = await owner.query(
      `UPDATE staging_acra_companies SET last_run_id = $1, updated_at = now(),
         entity_status_description = CASE WHEN entity_status_description = 'Live Company' THEN 'Struck Off' ELSE 'Live Company' END,
         primary_ssic_code = CASE WHEN hashtext(uen) % 2 = 0 THEN '62011' ELSE primary_ssic_code END
       WHERE abs(hashtext(uen) % 100) = $2`,
      [runs[0]!.id, slice],
    );
    changedRows.push(changed.rowCount ?? 0);
    await owner.query("VACUUM ANALYZE staging_acra_companies");
    await select();
  };
  const changes = await interleaved(changeOnePercent, refresh, select);
  log(
    `refresh after ${changedRows.join(", ")} companies (1 %) changed: ${changes.ours.toFixed(2)}s, the plain SELECT ${changes.theirs.toFixed(2)}s ` +
      `(medians of ${rounds}; ${round(changes.ratio)}×) ${JSON.stringify(changes.rounds)}`,
  );
  await owner.end();

  console.log(
    JSON.stringify({
      seconds: round(fills.ours),
      write_baseline_seconds: round(fills.theirs),
      write_ratio: round(fills.ratio),
      repeat_seconds: round(median(repeats)),
      changed_seconds: round(changes.ours),
      select_seconds: round(changes.theirs),
      changed_ratio: round(changes.ratio),
      candidates: fills.last.candidateCount,
      registry_rows: rows,
      changed_rows: changedRows[0],
      rounds,
      fill_rounds: fills.rounds,
      changed_rounds: changes.rounds,
    }),
  );
  await appDb.$disconnect();
  await platformDb.$disconnect();
} finally {
  await db.stop();
}
