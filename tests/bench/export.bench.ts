import { Readable } from "node:stream";
import pg from "pg";
import { benchDatabase, round } from "./bench-database";

/**
 * `npm run bench:export`: ROWS (default 100,000) scored companies of one
 * tenant, in a registry of REGISTRY_ROWS (default 1,000,000) companies, streamed through the CSV export's own function
 * (shortlistExportStream, what GET /api/export/shortlist.csv returns), with
 * process RSS sampled throughout; against the same query's rows through a bare
 * `COPY (…) TO STDOUT` in the same tenant scope and settings, ROUNDS (default
 * 3) of each, alternating. Embedded Postgres on BENCH_PG_PORT (default
 * 54358). Last stdout line: { rows_per_s, copy_rows_per_s, ratio, rss_growth_mb, … }.
 */
const rows = Number(process.env.ROWS ?? 100_000);
/** The registry the export joins: a real one's size, so the join's plan is the one production gets. */
const registryRows = Math.max(rows, Number(process.env.REGISTRY_ROWS ?? 1_000_000));
process.env.BENCH_PG_PORT ??= "54358";
const log = (message: string) => process.stderr.write(`[bench:export] ${message}\n`);

const database = await benchDatabase("nexius_bench_export");
process.env.DATABASE_URL = database.ownerUrl;
process.env.APP_DATABASE_URL = database.appUrl;
process.env.LOG_LEVEL ??= "warn";
// App modules read the environment when first used, so import them now.
const { shortlistExportStream, shortlistExportSql, findExportRun, EXPORT_SETTINGS } = await import("../../app/exports/shortlist-export.server");
const { scopeCopyExport } = await import("../../app/exports/copy-export.server");
const { CopyRows } = await import("../../app/exports/copy-rows.server");
const { withLiterals } = await import("../../app/exports/sql-literals");
const { db: appDb, platformDb, exportCopyPool } = await import("../../app/db.server");
const { singaporeDate } = await import("../../app/utils/singapore-time");
// The root logger was created when bench-database loaded the migrator, before LOG_LEVEL was set.
(await import("../../app/logger.server")).rootLogger.level = process.env.LOG_LEVEL;
const batchSize = process.env.BATCH ? Number(process.env.BATCH) : undefined;
const rounds = Math.max(1, Number(process.env.ROUNDS ?? 3));
const LF = 0x0a;

const owner = new pg.Client({ connectionString: database.ownerUrl });
const filters = { date: null, bucket: null, industry: null, hasEmail: false, q: null };
const exportOptions = { filters, limit: null, format: "csv", masked: false, tenantSlug: "bench", kind: "shortlist", batchSize } as const;

try {
  await owner.connect();
  const today = singaporeDate(new Date());
  log(`seeding ${rows} scored companies`);
  const tenantId = await seed(owner, rows, today);
  const run = (await findExportRun(tenantId, "shortlist", today))!;

  // Warm the caches and the plan for both paths with one small pass each.
  await drain(shortlistExportStream(tenantId, run, { ...exportOptions, limit: 1000 }));
  await copyOut(tenantId, run, 1000);

  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 20);
  // Rounds alternate which path goes first, so neither always meets the other's warm caches or a
  // quieter machine; each path's figure is its median round.
  const exportTimes: number[] = [];
  const copyTimes: number[] = [];
  let exported = { bytes: 0, lines: 0 };
  let copied = { rows: 0, bytes: 0 };
  for (let round = 0; round < rounds; round++) {
    const paths = [
      async () => {
        const started = performance.now();
        exported = await drain(shortlistExportStream(tenantId, run, exportOptions));
        exportTimes.push((performance.now() - started) / 1000);
      },
      async () => {
        const started = performance.now();
        copied = await copyOut(tenantId, run, null);
        copyTimes.push((performance.now() - started) / 1000);
      },
    ];
    for (const path of round % 2 === 0 ? paths : paths.reverse()) await path();
    log(`round ${round + 1}: export ${exportTimes.at(-1)!.toFixed(2)}s, bare COPY ${copyTimes.at(-1)!.toFixed(2)}s`);
  }
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const seconds = median(exportTimes);
  const copySeconds = median(copyTimes);
  const exportedRows = exported.lines - 1;
  log(`export: ${exportedRows} rows, ${(exported.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)}s (median of ${rounds})`);
  log(`bare COPY: ${copied.rows} rows, ${(copied.bytes / 1e6).toFixed(1)} MB in ${copySeconds.toFixed(2)}s (median of ${rounds})`);
  if (exportedRows !== rows) throw new Error(`the export wrote ${exportedRows} rows, expected ${rows}`);

  const rowsPerS = exportedRows / seconds;
  const copyRowsPerS = copied.rows / copySeconds;
  console.log(
    JSON.stringify({
      rows_per_s: Math.round(rowsPerS),
      copy_rows_per_s: Math.round(copyRowsPerS),
      ratio: round(rowsPerS / copyRowsPerS),
      peak_rss_mb: round(peakRss / 2 ** 20, 1),
      baseline_rss_mb: round(baselineRss / 2 ** 20, 1),
      rss_growth_mb: round((peakRss - baselineRss) / 2 ** 20, 1),
      peak_heap_mb: round(peakHeap / 2 ** 20, 1),
      rows: exportedRows,
      seconds: round(seconds, 2),
      copy_seconds: round(copySeconds, 2),
      rounds,
      bytes: exported.bytes,
      copy_bytes: copied.bytes,
    }),
  );
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await owner.end().catch(() => {});
  await appDb.$disconnect();
  await platformDb.$disconnect();
  await exportCopyPool.end();
  await database.stop();
}

/** Reads a byte stream to the end as the HTTP layer would, counting bytes and CSV lines (no field holds a line break here); both paths' sink. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const chunk = next.value;
    bytes += chunk.byteLength;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) lines++;
  }
  return { bytes, lines };
}

/**
 * The baseline: the export's own query (parameters written in as literals, as
 * the export does) through a bare `COPY … TO STDOUT (FORMAT csv)` on a
 * connection of the export's pool, in the same tenant scope and session
 * settings, read by the same protocol reader into the same sink (through a
 * web stream, as the export's bytes reach the response).
 */
async function copyOut(tenantId: string, run: Parameters<typeof shortlistExportSql>[0], limit: number | null): Promise<{ rows: number; bytes: number }> {
  const client = await exportCopyPool.connect();
  try {
    await scopeCopyExport(client, tenantId, EXPORT_SETTINGS);
    const copy = client.query(new CopyRows(`COPY (${withLiterals(shortlistExportSql(run, filters, limit))}) TO STDOUT WITH (FORMAT csv)`, { crlf: false }));
    const { bytes } = await drain(Readable.toWeb(copy) as ReadableStream<Uint8Array>);
    await client.query("COMMIT");
    return { rows: copy.rowCount, bytes };
  } finally {
    client.release();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One tenant, a succeeded run of `count` scored companies with features, a contact and (3 in 4) an email each. */
async function seed(client: pg.Client, count: number, runDate: string): Promise<string> {
  const { rows: tenants } = await client.query<{ id: string }>("INSERT INTO tenants (slug, name, status) VALUES ('bench', 'Bench', 'active') RETURNING id");
  const tenantId = tenants[0]!.id;
  const { rows: runs } = await client.query<{ id: string }>(
    `INSERT INTO runs (tenant_id, kind, status, run_date, target_count, settled_count, started_at, finished_at)
     VALUES ($1, 'nightly', 'succeeded', $2::date, $3, $3, now() - interval '1 hour', now()) RETURNING id`,
    [tenantId, runDate, count],
  );
  const runId = runs[0]!.id;
  const uen = "'B' || lpad(g::text, 8, '0') || 'X'";
  await client.query(
    `INSERT INTO staging_acra_companies (uen, entity_name, entity_type_description, entity_status_description, street_name, postal_code, primary_ssic_code, content_hash)
     SELECT ${uen}, 'BENCH COMPANY ' || g || ' PTE. LTD.', 'Local Company', 'Live Company', 'ANSON ROAD', lpad((g % 999999)::text, 6, '0'), '62011', md5(g::text)
     FROM generate_series(1, $1) g`,
    [registryRows],
  );
  await client.query(
    `INSERT INTO lead_features (tenant_id, uen, run_id, domain, industry, headcount_estimate, about_text, crawl_status, enriched_at)
     SELECT $1, ${uen}, $2, 'bench' || g || '.com.sg', (ARRAY['Software', 'Logistics', 'Retail'])[1 + g % 3], 10 + g % 190,
            'Bench company ' || g || ' builds software for Singapore businesses.', 'ok', now()
     FROM generate_series(1, $3) g`,
    [tenantId, runId, count],
  );
  await client.query(
    `INSERT INTO lead_contacts (tenant_id, uen, full_name, title, linkedin_url, source)
     SELECT $1, ${uen}, 'Jane Tan ' || g, 'Head of Sales', 'https://www.linkedin.com/in/jane-tan-' || g, 'apify_linkedin'
     FROM generate_series(1, $2) g`,
    [tenantId, count],
  );
  await client.query(
    `INSERT INTO lead_emails (tenant_id, uen, email, contact_id, source, verification_status)
     SELECT c.tenant_id, c.uen, 'jane' || substr(c.uen, 2, 8) || '@bench.com.sg', c.id, 'apify_linkedin',
            CASE WHEN substr(c.uen, 9, 1) IN ('1', '2', '3', '4', '5') THEN 'verified' ELSE 'unknown' END
     FROM lead_contacts c WHERE c.tenant_id = $1 AND substr(c.uen, 9, 1) <> '0'`,
    [tenantId],
  );
  await client.query(
    `INSERT INTO lead_scores (tenant_id, run_id, uen, score, bucket, breakdown, rationale, rationale_source, contact_weight, verified_contacts)
     SELECT $1, $2, ${uen}, s, CASE WHEN s >= 70 THEN 'High' WHEN s >= 40 THEN 'Medium' ELSE 'Low' END,
            '[]'::jsonb, 'Software company in range with a verified decision-maker and a readable website.', 'cache', 16, g % 3
     FROM (SELECT g, round((random() * 100)::numeric, 1)::float8 AS s FROM generate_series(1, $3) g) x`,
    [tenantId, runId, count],
  );
  await client.query("VACUUM ANALYZE staging_acra_companies, lead_features, lead_contacts, lead_emails, lead_scores, runs");
  return tenantId;
}
