import { db, exportDb } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { log } from "~/logger.server";
import { ensureShortlist } from "~/shortlist/shortlist-build.server";
import { type ShortlistFilters } from "~/shortlist/shortlist-query";
import { emailNotSuppressedSql, findShortlistRun, rankedScoresSql, shortlistWhereSql, type ShortlistRun } from "~/shortlist/shortlist.server";
import { copyCsvStream } from "./copy-export.server";
import { pacedStream } from "./paced-stream.server";
import { CSV_HEADER, exportCsvLine, exportJsonItem, maskExportRecord, type ExportRecord } from "./shortlist-export";

/**
 * Shortlist downloads streamed straight from Postgres, only as fast as the
 * client reads, so memory stays flat whatever the size: an unmasked CSV as
 * COPY writes it (./copy-export.server.ts), a masked one or JSON through a
 * server-side cursor in one tenant transaction (RLS), fetched in batches. The
 * same query (shortlistExportSql) feeds all of them and the benchmark's COPY.
 */
export type ExportFormat = "csv" | "json";
export type ExportKind = "shortlist" | "latest_scores";

export type ExportOptions = {
  filters: ShortlistFilters;
  /** At most this many rows (in rank order). */
  limit: number | null;
  format: ExportFormat;
  masked: boolean;
  tenantSlug: string;
  kind: ExportKind;
  batchSize?: number;
};

/** An export may run long; the transaction must outlive a slow download. */
const EXPORT_TIMEOUT_MS = 30 * 60 * 1000;
const DEFAULT_BATCH = 1000;
/**
 * The export's session settings, the benchmark's COPY baseline included. Its
 * sorts (rank order, best contact per company) hold the whole shortlist: at
 * the default 4MB a 100,000-company one spills to disk four times. Bounded
 * overall by the export pool's size.
 */
export const EXPORT_SETTINGS = { statementTimeout: "5min", workMem: "64MB" };

/** The run to export: `latest_scores` is the newest shortlist of any day, `shortlist` the given (or today's) day's. */
export function findExportRun(tenantId: string, kind: ExportKind, date: string): Promise<ShortlistRun | null> {
  return db.$withTenant(tenantId, async (tx) => {
    const run = await findShortlistRun(tx, kind === "latest_scores" ? null : date);
    // The download reads the materialised ranking on its own connection: it must exist before.
    if (run) await ensureShortlist(tx, run);
    return run;
  });
}

/**
 * Rows in rank order, with the columns of EXPORT_COLUMNS (unmasked). The best
 * contacts are picked in one pass over the shortlist's contacts and emails
 * (a sort, then a hash join), which beats a per-row lookup once a shortlist
 * has more than a few hundred companies.
 */
export function shortlistExportSql(run: ShortlistRun, filters: ShortlistFilters, limit: number | null): Prisma.Sql {
  return Prisma.sql`
    WITH ${rankedScoresSql(run)},
    best AS (
      SELECT DISTINCT ON (x.uen) x.uen, x.name, x.title, x.email FROM (
        SELECT e.uen, c.full_name AS name, c.title, e.email,
               CASE e.verification_status WHEN 'verified' THEN 0 WHEN 'catch_all' THEN 1 ELSE 2 END AS quality
        FROM lead_emails e LEFT JOIN lead_contacts c ON c.id = e.contact_id
        WHERE e.verification_status IN ('verified', 'catch_all', 'unknown') AND ${emailNotSuppressedSql}
        UNION ALL
        SELECT c.uen, c.full_name, c.title, NULL, 3 FROM lead_contacts c
      ) x
      WHERE x.uen IN (SELECT uen FROM ranked)
      ORDER BY x.uen, x.quality, (x.name IS NULL), x.email, x.name
    )
    SELECT r.rank::int AS rank, r.uen, a.entity_name AS company_name, r.bucket, r.score::float8 AS score,
           f.domain, f.industry, f.headcount_estimate AS headcount, r.verified_contacts,
           best.name AS best_contact_name, best.title AS best_contact_title, best.email AS best_contact_email,
           sc.rationale, ${run.runDate}::text AS run_date
    FROM ranked r
    LEFT JOIN lead_scores sc ON sc.run_id = r.score_run_id AND sc.uen = r.uen
    LEFT JOIN staging_acra_companies a ON a.uen = r.uen
    LEFT JOIN lead_features f ON f.uen = r.uen
    LEFT JOIN best ON best.uen = r.uen
    ${shortlistWhereSql(filters)}
    ORDER BY r.rank
    ${limit ? Prisma.sql`LIMIT ${limit}` : Prisma.empty}`;
}

/**
 * The export as a byte stream. The cursor's transaction opens on the first
 * read and closes at the end, on error, or when the client goes away.
 */
export function shortlistExportStream(tenantId: string, run: ShortlistRun, options: ExportOptions): ReadableStream<Uint8Array> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const query = shortlistExportSql(run, options.filters, options.limit);
  let rows = 0;
  const started = performance.now();
  const ended = ({ error, cancelled }: { error: unknown; cancelled: boolean }) => {
    if (error) log().error({ err: error, runId: run.id, rows }, "shortlist export failed");
    else log().info({ runId: run.id, rows, ms: Math.round(performance.now() - started), cancelled }, "shortlist export streamed");
  };
  // Unmasked CSV is Postgres's own work (COPY); masking and JSON are ours, row by row through a cursor.
  if (options.format === "csv" && !options.masked) {
    return copyCsvStream(tenantId, query, EXPORT_SETTINGS, (end) => {
      rows = end.rows;
      ended(end);
    });
  }
  return pacedStream(
    (out) =>
      // The export pool, not the app's: a slow reader holds one of its connections, never one of the app's.
      exportDb.$withTenant(
        tenantId,
        async (tx) => {
          // An export reads every row: plan for the whole result, not the first tenth (the cursor default).
          await tx.$executeRaw`SET LOCAL cursor_tuple_fraction = 1.0`;
          // The first FETCH sorts the whole shortlist, which may take longer than a web request's statements may.
          await tx.$executeRaw`SELECT set_config('statement_timeout', ${EXPORT_SETTINGS.statementTimeout}, true), set_config('work_mem', ${EXPORT_SETTINGS.workMem}, true)`;
          await tx.$executeRaw`DECLARE shortlist_export NO SCROLL CURSOR FOR ${query}`;
          out.send(options.format === "csv" ? CSV_HEADER : jsonHead(run, options));
          for (;;) {
            if (!(await out.ready())) return;
            const batch = await tx.$queryRaw<ExportRecord[]>`FETCH ${Prisma.raw(String(batchSize))} FROM shortlist_export`;
            if (batch.length === 0) break;
            let chunk = "";
            for (const record of batch) {
              const masked = maskExportRecord(record, options.masked);
              chunk += options.format === "csv" ? exportCsvLine(masked) : `${rows === 0 ? "" : ",\n"}${exportJsonItem(masked)}`;
              rows++;
            }
            out.send(chunk);
          }
          await tx.$executeRaw`CLOSE shortlist_export`;
          if (options.format === "json") out.send("\n]}\n");
        },
        { timeout: EXPORT_TIMEOUT_MS },
      ),
    ended,
  );
}

function jsonHead(run: ShortlistRun, options: ExportOptions): string {
  const meta = {
    tenant: options.tenantSlug,
    kind: options.kind,
    run_id: run.id,
    run_date: run.runDate,
    degraded: run.degraded,
    masked: options.masked,
    filters: {
      bucket: options.filters.bucket,
      industry: options.filters.industry,
      has_email: options.filters.hasEmail,
      q: options.filters.q,
      limit: options.limit,
    },
    generated_at: new Date().toISOString(),
  };
  return `${JSON.stringify(meta).slice(0, -1)},"rows":[\n`;
}
