import pg from "pg";
import copyStreams from "pg-copy-streams";
import { benchDatabase, round } from "./bench-database";

/**
 * `npm run bench:export`: ROWS (default 100,000) scored companies of one
 * tenant, in a registry of REGISTRY_ROWS (default 1,000,000) companies, streamed through the CSV export's own function
 * (shortlistExportStream, what GET /api/export/shortlist.csv returns), with
 * process RSS sampled throughout; then the same query's rows through a bare
 * `COPY (…) TO STDOUT` in the same tenant scope. Embedded Postgres on
 * BENCH_PG_PORT (default 54358). Last stdout line:
 * { rows_per_s, copy_rows_per_s, peak_rss_mb, … }.
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
const { shortlistExportStream, shortlistExportSql, findExportRun } = await import("../../app/exports/shortlist-export.server");
const { db: appDb, platformDb, exportCopyPool } = await import("../../app/db.server");
const { singaporeDate } = await import("../../app/utils/singapore-time");
// The root logger was created when bench-database loaded the migrator, before LOG_LEVEL was set.
(await import("../../app/logger.server")).rootLogger.level = process.env.LOG_LEVEL;
const batchSize = process.env.BATCH ? Number(process.env.BATCH) : undefined;

const owner = new pg.Client({ connectionString: database.ownerUrl });
const filters = { date: null, bucket: null, industry: null, hasEmail: false, q: null };

try {
  await owner.connect();
  const today = singaporeDate(new Date());
  log(`seeding ${rows} scored companies`);
  const tenantId = await seed(owner, rows, today);
  const run = (await findExportRun(tenantId, "shortlist", today))!;

  // Warm the caches and the plan for both paths with one small pass each.
  await drain(shortlistExportStream(tenantId, run, { filters, limit: 1000, format: "csv", masked: false, tenantSlug: "bench", kind: "shortlist" }));
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
  let started = performance.now();
  const exported = await drain(
    shortlistExportStream(tenantId, run, { filters, limit: null, format: "csv", masked: false, tenantSlug: "bench", kind: "shortlist", batchSize }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const exportedRows = exported.lines - 1;
  log(`export: ${exportedRows} rows, ${(exported.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)}s`);
  if (exportedRows !== rows) throw new Error(`the export wrote ${exportedRows} rows, expected ${rows}`);

  started = performance.now();
  const copied = await copyOut(tenantId, run, null);
  const copySeconds = (performance.now() - started) / 1000;
  log(`bare COPY: ${copied.rows} rows, ${(copied.bytes / 1e6).toFixed(1)} MB in ${copySeconds.toFixed(2)}s`);

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

/** Reads a byte stream to the end as the HTTP layer would, counting bytes and CSV lines (no field holds a line break here). */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const chunk = next.value;
    bytes += chunk.byteLength;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  return { bytes, lines };
}

/** The export's own query, its parameters written in as literals (COPY takes none), under the same RLS scope. */
async function copyOut(tenantId: string, run: Parameters<typeof shortlistExportSql>[0], limit: number | null): Promise<{ rows: number; bytes: number }> {
  const client = new pg.Client({ connectionString: database.appUrl });
  await client.connect();
  try {
    const query = shortlistExportSql(run, filters, limit);
    const sql = query.text.replace(/\$(\d+)/g, (_, n: string) => {
      const value = query.values[Number(n) - 1];
      return client.escapeLiteral(value instanceof Date ? value.toISOString() : String(value));
    });
    await client.query("BEGIN");
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const copy = client.query(copyStreams.to(`COPY (${sql}) TO STDOUT WITH (FORMAT csv)`));
    let bytes = 0;
    for await (const chunk of copy as AsyncIterable<Buffer>) bytes += chunk.length;
    await client.query("COMMIT");
    return { rows: copy.rowCount ?? 0, bytes };
  } finally {
    await client.end();
  }
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
