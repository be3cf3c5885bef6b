import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { ACRA_COLUMN_NAMES } from "../../app/registry/acra-columns";
import { ingestAcraSource } from "../../app/registry/registry.server";
import { acraSampleStream } from "../../app/registry/sample-generator";
import { log, startBenchDatabase } from "./bench-db";

/**
 * `npm run bench:ingest`: generates ROWS (default 1,000,000) sample rows,
 * loads them through the real pipeline (parse, validate, COPY, merge), then
 * COPYs the same file bare into an empty UNLOGGED copy of the table. Last
 * stdout line: { rows_per_s, copy_rows_per_s, ratio, … }.
 */
const rows = Number(process.env.ROWS ?? 1_000_000);
const db = await startBenchDatabase("nexius_bench_ingest");
const dir = await mkdtemp(path.join(tmpdir(), "acra-bench-"));
const file = path.join(dir, "acra.csv");
try {
  log(`generating ${rows} rows`);
  // Clean rows, so the bare COPY below accepts every line of the same file.
  await pipeline(acraSampleStream({ rows, seed: 1, malformedRate: 0, duplicateRate: 0 }), createWriteStream(file));

  log("ingesting through the pipeline");
  const summary = await ingestAcraSource(file, { connectionString: db.ownerUrl });
  const rowsPerS = summary.read / summary.seconds;
  log(`pipeline: ${summary.read} rows in ${summary.seconds}s`);

  const client = new pg.Client({ connectionString: db.ownerUrl });
  await client.connect();
  client.on("error", () => {});
  const columns = ACRA_COLUMN_NAMES.map((c) => `"${c}"`).join(", ");
  // The registry's 94 columns with their types; no keys, no bookkeeping columns.
  await client.query(`CREATE UNLOGGED TABLE bench_copy AS SELECT ${columns} FROM staging_acra_companies WITH NO DATA`);
  const started = performance.now();
  const copy = client.query(
    copyStreams.from(`COPY bench_copy (${columns}) FROM STDIN WITH (FORMAT csv, HEADER true, NULL 'na')`),
  );
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), copy);
  const copySeconds = (performance.now() - started) / 1000;
  const copied = copy.rowCount;
  await client.end();
  log(`bare COPY: ${copied} rows in ${copySeconds.toFixed(2)}s`);

  const copyRowsPerS = copied / copySeconds;
  console.log(
    JSON.stringify({
      rows_per_s: Math.round(rowsPerS),
      copy_rows_per_s: Math.round(copyRowsPerS),
      ratio: Math.round((rowsPerS / copyRowsPerS) * 1000) / 1000,
      rows: summary.read,
      seconds: summary.seconds,
      copy_seconds: Math.round(copySeconds * 100) / 100,
    }),
  );
} catch (error) {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
  await db.stop();
}
