import { parseArgs } from "node:util";
import { requireEnvOrExit } from "../env.server";
import { registryEnv } from "../registry/config";
import { datagovConfigFrom } from "../registry/datagov.server";
import { IngestionBusyError, type IngestProgress } from "../registry/ingest.server";
import { formatProgress } from "../registry/progress";
import { ingestAcraSource } from "../registry/registry.server";

/**
 * `npm run acra:ingest -- <path|folder|url|dataset:ID|collection:ID> [--wait]`
 * Loads ACRA CSVs into the registry. Progress goes to stderr; the last line of
 * stdout is the JSON summary { read, inserted, updated, unchanged, rejected, seconds }.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { wait: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
});

if (values.help || positionals.length !== 1) {
  console.error("usage: npm run acra:ingest -- <file.csv | folder | https://… | dataset:d_… | collection:2> [--wait]");
  process.exit(values.help ? 0 : 2);
}

const config = requireEnvOrExit();
const registryConfig = registryEnv.parse(process.env);
const spec = positionals[0]!;
const started = Date.now();
const tty = process.stderr.isTTY;
let lastDraw = 0;
let lastLine = "";

function draw(progress: IngestProgress) {
  const now = Date.now();
  const final = progress.phase !== "reading";
  if (!final && now - lastDraw < (tty ? 200 : 5000)) return;
  lastDraw = now;
  lastLine = formatProgress(progress, now - started);
  process.stderr.write(tty ? `\r\x1b[2K${lastLine}` : `${lastLine}\n`);
}

try {
  const summary = await ingestAcraSource(spec, {
    connectionString: config.DATABASE_URL,
    datagov: datagovConfigFrom(registryConfig),
    onProgress: draw,
    waitForLock: values.wait,
  });
  if (tty && lastLine) process.stderr.write("\n");
  for (const file of summary.files) {
    const notes = [
      file.missingColumns ? `${file.missingColumns} optional columns absent` : "",
      file.extraColumns.length ? `kept extra columns ${file.extraColumns.join(", ")}` : "",
    ].filter(Boolean);
    if (notes.length) process.stderr.write(`${file.name}: ${notes.join("; ")}\n`);
  }
  if (summary.duplicates)
    process.stderr.write(
      `${summary.duplicates} duplicate UEN line(s): the last line of each UEN won (listed in acra_ingestion_rejects, run ${summary.runId})\n`,
    );
  if (summary.rejected) process.stderr.write(`${summary.rejected} row(s) rejected: see acra_ingestion_rejects where run_id = '${summary.runId}'\n`);
  const { read, inserted, updated, unchanged, rejected, seconds } = summary;
  process.stdout.write(`${JSON.stringify({ read, inserted, updated, unchanged, rejected, seconds })}\n`);
} catch (error) {
  if (tty && lastLine) process.stderr.write("\n");
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`acra:ingest failed: ${message}\n`);
  process.exit(error instanceof IngestionBusyError ? 75 : 1);
}
