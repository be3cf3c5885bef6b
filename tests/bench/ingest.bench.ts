import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { ACRA_COLUMN_NAMES } from "../../app/registry/acra-columns";
import { ingestAcraSource } from "../../app/registry/registry.server";
import { acraSampleStream } from "../../app/registry/sample-generator";
import { log, startBenchDatabase } from "./bench-db";

/**
 * `npm run bench:ingest [-- --rows N]`: generates N (default 1,000,000, or
 * ROWS) clean sample rows and COPYs them bare into an empty UNLOGGED copy of
 * the registry table (the baseline), then loads the same file through the
 * real pipeline three times: a first load into the empty registry, a reload of
 * the same file (the nightly sweep's usual case), and a file of the same size
 * with malformed rows and duplicate UENs. Each load is timed from the call to
 * its return, ANALYZE included; a CHECKPOINT runs before each measurement.
 * Each load's phases are printed (and the first load's and the reload's are
 * in the JSON) to show where the time goes.
 * Last stdout line: { rows_per_s, copy_rows_per_s, ratio, reload_ratio, … }.
 */
const { values: args } = parseArgs({ options: { rows: { type: "string" } } });
const rows = Number(args.rows ?? process.env.ROWS ?? 1_000_000);
const db = await startBenchDatabase("nexius_bench_ingest");
const dir = await mkdtemp(path.join(tmpdir(), "acra-bench-"));
const file = path.join(dir, "acra.csv");
const dirty = path.join(dir, "acra-dirty.csv");
const client = new pg.Client({ connectionString: db.ownerUrl });
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
try {
  await client.connect();
  client.on("error", () => {});
  log(`generating ${rows} rows`);
  // Clean rows, so the bare COPY below accepts every line of the same file.
  await pipeline(acraSampleStream({ rows, seed: 1, malformedRate: 0, duplicateRate: 0 }), createWriteStream(file));
  await pipeline(acraSampleStream({ rows, seed: 3, malformedRate: 0.01, duplicateRate: 0.01 }), createWriteStream(dirty));

  const columns = ACRA_COLUMN_NAMES.map((c) => `"${c}"`).join(", ");
  // The registry's 94 columns with their types; no keys, no bookkeeping columns.
  await client.query(`CREATE UNLOGGED TABLE bench_copy AS SELECT ${columns} FROM staging_acra_companies WITH NO DATA`);
  await client.query("CHECKPOINT");
  let started = performance.now();
  const copy = client.query(copyStreams.from(`COPY bench_copy (${columns}) FROM STDIN WITH (FORMAT csv, HEADER true, NULL 'na')`));
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), copy);
  const copySeconds = (performance.now() - started) / 1000;
  const copied = copy.rowCount;
  const copyRowsPerS = copied / copySeconds;
  log(`bare COPY: ${copied} rows in ${copySeconds.toFixed(2)}s`);

  const timedLoad = async (label: string, source: string) => {
    await client.query("CHECKPOINT");
    const t0 = performance.now();
    const summary = await ingestAcraSource(source, { connectionString: db.ownerUrl });
    const seconds = (performance.now() - t0) / 1000;
    log(
      `${label}: ${summary.read} rows in ${seconds.toFixed(2)}s (${summary.inserted} inserted, ${summary.updated} updated, ` +
        `${summary.unchanged} unchanged, ${summary.rejected} rejected, ${summary.duplicates} duplicates) — ${round(summary.read / seconds / copyRowsPerS, 3)}× COPY`,
    );
    const { reading, merging, indexing, analyzing } = summary.phases;
    log(`  phases: reading ${reading}s, merging ${merging}s, key and indexes ${indexing}s, ANALYZE ${analyzing}s`);
    return { summary, seconds, rowsPerS: summary.read / seconds };
  };
  const first = await timedLoad("first load", file);
  const reload = await timedLoad("unchanged reload", file);
  const withErrors = await timedLoad("file with malformed and duplicate rows", dirty);

  console.log(
    JSON.stringify({
      rows_per_s: Math.round(first.rowsPerS),
      copy_rows_per_s: Math.round(copyRowsPerS),
      ratio: round(first.rowsPerS / copyRowsPerS, 3),
      reload_rows_per_s: Math.round(reload.rowsPerS),
      reload_ratio: round(reload.rowsPerS / copyRowsPerS, 3),
      dirty_rows_per_s: Math.round(withErrors.rowsPerS),
      dirty_ratio: round(withErrors.rowsPerS / copyRowsPerS, 3),
      dirty_rejected: withErrors.summary.rejected,
      dirty_duplicates: withErrors.summary.duplicates,
      rows: first.summary.read,
      seconds: round(first.seconds),
      reload_seconds: round(reload.seconds),
      dirty_seconds: round(withErrors.seconds),
      copy_seconds: round(copySeconds),
      phases: first.summary.phases,
      reload_phases: reload.summary.phases,
    }),
  );
} catch (error) {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
  await rm(dir, { recursive: true, force: true });
  await db.stop();
}
