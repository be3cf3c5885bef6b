import { createHash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse, type CsvError } from "csv-parse";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { ACRA_COLUMN_NAMES, mapHeader, type HeaderMapping } from "./acra-columns";
import { copyLine, parseAcraRecord } from "./acra-row";
import { LineCounter } from "./csv-lines";
import type { SourceFile } from "./sources.server";

/**
 * Loads ACRA CSVs into `staging_acra_companies`, streaming: bytes → csv-parse
 * → per-row zod validation → COPY into a temporary table → one set-based
 * merge that writes only rows whose content hash changed. Everything between
 * BEGIN and COMMIT is one transaction, so a load that fails or is killed
 * leaves the previous registry exactly as it was. Rejected rows are written
 * on a second connection as they are found, so they survive a failed load
 * for diagnosis.
 *
 * A load allocates about a hundred short-lived strings per row; the processes
 * that load (`npm run worker`, `npm run acra:ingest`) run with a 64 MB young
 * generation, which takes a quarter off a million-row load's time in GC.
 */
export type IngestProgress = {
  file: string;
  fileIndex: number;
  fileCount: number;
  /** Bytes read so far over all files, and the total when every size is known. */
  bytesRead: number;
  bytesTotal?: number;
  rows: number;
  rejected: number;
  phase: "reading" | "merging" | "done";
};

export type IngestFileSummary = { name: string; sha256: string; bytes: number; rows: number; rejected: number; missingColumns: number; extraColumns: string[] };

export type IngestSummary = {
  runId: string;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  seconds: number;
  files: IngestFileSummary[];
};

export type IngestOptions = {
  /** Owner (platform) connection: the application role may not write the registry. */
  connectionString: string;
  /** What the run row records as its source, e.g. the CLI argument. */
  source: string;
  files: SourceFile[];
  /** What the source said its version was (lastUpdatedAt, ETag…), for the sweep to compare next time. */
  sourceVersion?: string | null;
  onProgress?: (progress: IngestProgress) => void;
  /** Wait for a running load to finish instead of failing at once. */
  waitForLock?: boolean;
};

export class IngestionBusyError extends Error {
  constructor() {
    super("Another registry load is running; try again when it has finished.");
    this.name = "IngestionBusyError";
  }
}

export class IngestionError extends Error {
  constructor(message: string, public readonly runId?: string) {
    super(message);
    this.name = "IngestionError";
  }
}

// Any constant: one registry load at a time, across processes.
const INGEST_LOCK_KEY = 727_101;
const REJECT_BATCH = 500;
const RAW_LINE_MAX = 8000;

const COLUMN_LIST = ACRA_COLUMN_NAMES.map((c) => `"${c}"`).join(", ");
const LOAD_COLUMNS = `file_no, line_no, ${COLUMN_LIST}, extra, content_hash`;

type PendingReject = { file: string; line: number; uen: string | null; reason: string; raw: string | null };

class RejectSink {
  private pending: PendingReject[] = [];
  count = 0;
  constructor(private readonly client: pg.Client, private readonly runId: string) {}

  add(reject: PendingReject) {
    this.count++;
    this.pending.push(reject);
  }

  get full() {
    return this.pending.length >= REJECT_BATCH;
  }

  async flush() {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    await this.client.query(
      `INSERT INTO acra_ingestion_rejects (run_id, kind, file, line, uen, reason, raw_line)
       SELECT $1, 'invalid', f, l, u, r, w FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) AS t(f, l, u, r, w)`,
      [
        this.runId,
        batch.map((r) => r.file),
        batch.map((r) => r.line),
        batch.map((r) => r.uen),
        batch.map((r) => r.reason),
        batch.map((r) => r.raw && storableText(r.raw)),
      ],
    );
  }
}

/** Postgres text cannot hold NUL, and a runaway line should not bloat the table. */
function storableText(raw: string): string {
  const line = raw.replace(/(?:\r\n|\r|\n)$/, "").replace(/\u0000/g, "\u2400");
  return line.length > RAW_LINE_MAX ? `${line.slice(0, RAW_LINE_MAX)}…` : line;
}

function uenGuess(record: readonly string[] | undefined, mapping: HeaderMapping | undefined): string | null {
  if (!record || !mapping) return null;
  const i = mapping.fields.findIndex((f) => "known" in f && ACRA_COLUMN_NAMES[f.known] === "uen");
  const v = i >= 0 ? record[i]?.trim() : undefined;
  return v && v.length <= 20 ? v : null;
}

/** The version of a source known only by its bytes: one hash over its files' hashes. */
export function contentVersion(fileSha256s: readonly string[]): string {
  return `sha256:${fileSha256s.length === 1 ? fileSha256s[0] : createHash("sha256").update(fileSha256s.join("\n")).digest("hex")}`;
}

type CsvRecord = { record: string[]; raw: string };

export async function ingestAcraFiles(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: options.connectionString, application_name: "acra-ingest" });
  const side = new pg.Client({ connectionString: options.connectionString, application_name: "acra-ingest-rejects" });
  await client.connect();
  await side.connect();
  // A broken connection must fail the load, not crash the process.
  client.on("error", () => {});
  side.on("error", () => {});
  let runId: string | undefined;
  try {
    if (options.waitForLock) await client.query("SELECT pg_advisory_lock($1)", [INGEST_LOCK_KEY]);
    else {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [INGEST_LOCK_KEY]);
      if (!rows[0]!.ok) throw new IngestionBusyError();
    }
    // Holding the lock, any run still marked running belongs to a process that died.
    await client.query(
      `UPDATE acra_ingestion_runs SET status = 'failed', error = 'interrupted (the loading process stopped)', finished_at = now()
       WHERE status = 'running'`,
    );
    const inserted = await client.query<{ id: string }>(
      "INSERT INTO acra_ingestion_runs (source, source_version) VALUES ($1, $2) RETURNING id",
      [options.source, options.sourceVersion ?? null],
    );
    runId = inserted.rows[0]!.id;
    const summary = await load(client, side, runId, options, started);
    await client.query(
      `UPDATE acra_ingestion_runs SET status = 'succeeded', files = $2, rows_read = $3, rows_inserted = $4, rows_updated = $5,
         rows_unchanged = $6, rows_rejected = $7, rows_duplicate = $8, finished_at = now(), duration_ms = $9, source_version = $10 WHERE id = $1`,
      [
        runId,
        JSON.stringify(summary.files),
        summary.read,
        summary.inserted,
        summary.updated,
        summary.unchanged,
        summary.rejected,
        summary.duplicates,
        Math.round(summary.seconds * 1000),
        options.sourceVersion ?? contentVersion(summary.files.map((f) => f.sha256)),
      ],
    );
    if (summary.inserted + summary.updated > 10_000) await client.query("ANALYZE staging_acra_companies");
    return summary;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (runId) {
      await client.query("ROLLBACK").catch(() => {});
      await side
        .query("UPDATE acra_ingestion_runs SET status = 'failed', error = $2, finished_at = now(), duration_ms = $3 WHERE id = $1", [
          runId,
          message,
          Math.round(performance.now() - started),
        ])
        .catch(() => {});
    }
    if (error instanceof IngestionBusyError || error instanceof IngestionError) throw error;
    throw new IngestionError(message, runId);
  } finally {
    await client.end().catch(() => {});
    await side.end().catch(() => {});
  }
}

async function load(client: pg.Client, side: pg.Client, runId: string, options: IngestOptions, started: number): Promise<IngestSummary> {
  const rejects = new RejectSink(side, runId);
  const files: IngestFileSummary[] = [];
  const knownSizes = options.files.every((f) => f.size !== undefined);
  const bytesTotal = knownSizes ? options.files.reduce((s, f) => s + f.size!, 0) : undefined;
  let bytesBefore = 0;
  let rowsRead = 0;

  await client.query("BEGIN");
  await client.query(
    `CREATE TEMP TABLE acra_load ON COMMIT DROP AS
     SELECT 0::int AS file_no, 0::int AS line_no, ${COLUMN_LIST}, extra, content_hash FROM staging_acra_companies WITH NO DATA`,
  );

  for (const [fileNo, file] of options.files.entries()) {
    const opened = await file.open();
    const size = opened.size ?? file.size;
    const hash = createHash("sha256");
    let bytes = 0;
    let fileRows = 0;
    let fileRejected = 0;
    let mapping: HeaderMapping | undefined;
    const progress = (phase: IngestProgress["phase"]) =>
      options.onProgress?.({
        file: file.name,
        fileIndex: fileNo,
        fileCount: options.files.length,
        bytesRead: bytesBefore + bytes,
        bytesTotal: bytesTotal ?? (options.files.length === 1 ? size : undefined),
        rows: rowsRead,
        rejected: rejects.count,
        phase,
      });

    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    // An unreadable record is reported by csv-parse as it parses, ahead of the
    // records still buffered for us; `after` puts it back in file order.
    const skipped: Array<{ after: number; raw: string; reason: string }> = [];
    const parser = parse({
      bom: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined, raw: string | undefined) => {
        skipped.push({ after: parser.info.records, raw: raw ?? "", reason: `unreadable CSV: ${err?.message ?? "malformed record"}` });
        return undefined;
      },
    });
    const lines = new LineCounter();

    const toCopy = async function* (records: AsyncIterable<CsvRecord>) {
      let chunk = "";
      let lastReport = 0;
      let taken = 0;
      const takeSkipped = (upTo: number) => {
        while (skipped.length && skipped[0]!.after <= upTo) {
          const s = skipped.shift()!;
          const at = lines.next(s.raw);
          rejects.add({ file: file.name, line: at.line, uen: null, reason: s.reason, raw: at.text || null });
          fileRejected++;
          fileRows++;
          rowsRead++;
        }
      };
      for await (const { record, raw: rawText } of records) {
        takeSkipped(taken++);
        const { line, text: raw } = lines.next(rawText);
        if (!mapping) {
          mapping = mapHeader(record);
          continue;
        }
        rowsRead++;
        fileRows++;
        const result = parseAcraRecord(record, mapping);
        if (result.ok) {
          chunk += copyLine(fileNo, line, result.row);
        } else {
          rejects.add({ file: file.name, line, uen: uenGuess(record, mapping), reason: result.reason, raw });
          fileRejected++;
          if (rejects.full) await rejects.flush();
        }
        if (chunk.length >= 256 * 1024) {
          yield chunk;
          chunk = "";
        }
        if (rowsRead - lastReport >= 5000) {
          lastReport = rowsRead;
          progress("reading");
        }
      }
      takeSkipped(Infinity);
      if (!mapping) throw new IngestionError(`${file.name}: the file is empty (no header row)`);
      if (chunk) yield chunk;
    };

    const copy = client.query(copyStreams.from(`COPY acra_load (${LOAD_COLUMNS}) FROM STDIN`));
    try {
      await pipeline(opened.stream as Readable, tap, parser, toCopy, copy);
    } catch (error) {
      if (error instanceof IngestionError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new IngestionError(`${file.name}: ${reason}`);
    }
    await rejects.flush();
    files.push({
      name: file.name,
      sha256: hash.digest("hex"),
      bytes,
      rows: fileRows,
      rejected: fileRejected,
      missingColumns: mapping!.missing.length,
      extraColumns: mapping!.extras,
    });
    bytesBefore += bytes;
    progress("reading");
  }

  const overall = (phase: IngestProgress["phase"]) =>
    options.onProgress?.({
      file: files.at(-1)?.name ?? "",
      fileIndex: files.length - 1,
      fileCount: files.length,
      bytesRead: bytesBefore,
      bytesTotal,
      rows: rowsRead,
      rejected: rejects.count,
      phase,
    });
  overall("merging");
  await client.query("ANALYZE acra_load");
  const duplicates = await supersedeDuplicates(client, runId, files.map((f) => f.name));
  const assignments = ACRA_COLUMN_NAMES.filter((c) => c !== "uen").map((c) => `"${c}" = l."${c}"`).join(", ");
  const updated = await client.query(
    `UPDATE staging_acra_companies s SET ${assignments}, extra = l.extra, content_hash = l.content_hash, last_run_id = $1, updated_at = now()
     FROM acra_load l WHERE s.uen = l.uen AND s.content_hash <> l.content_hash`,
    [runId],
  );
  const inserted = await client.query(
    `INSERT INTO staging_acra_companies (${COLUMN_LIST}, extra, content_hash, first_run_id, last_run_id)
     SELECT ${ACRA_COLUMN_NAMES.map((c) => `l."${c}"`).join(", ")}, l.extra, l.content_hash, $1, $1 FROM acra_load l
     WHERE NOT EXISTS (SELECT 1 FROM staging_acra_companies s WHERE s.uen = l.uen)`,
    [runId],
  );
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM acra_load");
  await client.query("COMMIT");

  const loaded = rows[0]!.n;
  const summary: IngestSummary = {
    runId,
    read: rowsRead,
    inserted: inserted.rowCount ?? 0,
    updated: updated.rowCount ?? 0,
    unchanged: loaded - (inserted.rowCount ?? 0) - (updated.rowCount ?? 0),
    rejected: rejects.count,
    duplicates,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    files,
  };
  overall("done");
  return summary;
}

/** Within one load the last line of a UEN wins; the earlier ones are reported and dropped. */
async function supersedeDuplicates(client: pg.Client, runId: string, fileNames: string[]): Promise<number> {
  await client.query(`
    CREATE TEMP TABLE acra_superseded ON COMMIT DROP AS
    SELECT l.file_no, l.line_no, l.uen, w.file_no AS winner_file, w.line_no AS winner_line
    FROM acra_load l
    JOIN (
      SELECT DISTINCT ON (uen) uen, file_no, line_no FROM acra_load
      WHERE uen IN (SELECT uen FROM acra_load GROUP BY uen HAVING count(*) > 1)
      ORDER BY uen, file_no DESC, line_no DESC
    ) w ON w.uen = l.uen
    WHERE (l.file_no, l.line_no) <> (w.file_no, w.line_no)`);
  const reported = await client.query(
    `INSERT INTO acra_ingestion_rejects (run_id, kind, file, line, uen, reason)
     SELECT $1, 'duplicate', ($2::text[])[file_no + 1], line_no, uen,
            'duplicate UEN ' || uen || ': superseded by ' || ($2::text[])[winner_file + 1] || ' line ' || winner_line
     FROM acra_superseded`,
    [runId, fileNames],
  );
  if (reported.rowCount) {
    await client.query("DELETE FROM acra_load l USING acra_superseded d WHERE l.file_no = d.file_no AND l.line_no = d.line_no");
  }
  return reported.rowCount ?? 0;
}
