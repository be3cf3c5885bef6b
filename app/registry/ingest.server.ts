import { createHash } from "node:crypto";
import { once } from "node:events";
import { PassThrough, Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { ACRA_COLUMN_NAMES, mapHeader, type HeaderMapping } from "./acra-columns";
import { CONTENT_HASH_VERSION, rawTableSql, sqlString } from "./acra-row-sql";
import { CsvRecordFramer } from "./csv-lines";
import { HeldRecords } from "./held-records";
import { dropIndexes, mergeIntoRegistry, type FirstLoad, type RawFile } from "./ingest-merge.server";
import { judgeSuspect, RejectSink } from "./ingest-rejects.server";
import { type SourceFile } from "./sources.server";
import { fieldKinds } from "./stored-as-written";

/**
 * Loads ACRA CSVs into `staging_acra_companies`. Node only frames the bytes
 * (`CsvRecordFramer`: quotes, line numbers, field counts, UTF-8 and NUL) and
 * forwards sound records byte for byte, tagged with their line, through
 * `COPY … FROM STDIN` into a temporary all-text table per file; Postgres then
 * validates and normalises them (`acra-row-sql.ts`, the same rules and reasons
 * as `parseAcraRecord`), reports rejects and superseded duplicates, and merges
 * in one upsert that writes only rows whose content hash changed. A record the
 * registry already holds byte for byte (hash and UEN, `HeldRecords`) is
 * recognised by the framer and sends only its line and UEN, so an unchanged
 * reload copies, checks and writes no row. Everything
 * between BEGIN and COMMIT is one transaction, so a load that fails or is
 * killed leaves the previous registry exactly as it was. Records the framer
 * rejects are written on a second connection as they are found, so they
 * survive a failed load for diagnosis.
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

export type IngestFileSummary = {
  name: string;
  sha256: string;
  bytes: number;
  rows: number;
  rejected: number;
  /** Rows the registry already held byte for byte: recognised while reading, neither copied nor checked again. */
  held: number;
  /** Rows of a first load COPY'd straight into the registry: every field as its checks would store it, so not checked again. */
  stored: number;
  missingColumns: number;
  extraColumns: string[];
};

/**
 * Where a load's time went, in seconds: reading the files (framing and the
 * COPYs), the checks, rejects and merge, a first load's key and index builds
 * (with its duplicate check), and the ANALYZE after a large change.
 */
export type IngestPhases = { reading: number; merging: number; indexing: number; analyzing: number };

export type IngestSummary = {
  runId: string;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  seconds: number;
  phases: IngestPhases;
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
  constructor(
    message: string,
    public readonly runId?: string,
  ) {
    super(message);
    this.name = "IngestionError";
  }
}

// Any constant: one registry load at a time, across processes.
const INGEST_LOCK_KEY = 727_101;
/** The version of a source known only by its bytes: one hash over its files' hashes. */
export function contentVersion(fileSha256s: readonly string[]): string {
  return `sha256:${fileSha256s.length === 1 ? fileSha256s[0] : createHash("sha256").update(fileSha256s.join("\n")).digest("hex")}`;
}

export async function ingestAcraFiles(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: options.connectionString, application_name: "acra-ingest" });
  const side = new pg.Client({ connectionString: options.connectionString, application_name: "acra-ingest-rejects" });
  // A first load's records for the checks go in on their own connection while the main one COPYs the others into the registry.
  const checks = new pg.Client({ connectionString: options.connectionString, application_name: "acra-ingest-checks" });
  await client.connect();
  await side.connect();
  await checks.connect();
  await client.query(SESSION_SETTINGS);
  // A broken connection must fail the load, not crash the process.
  client.on("error", () => {});
  side.on("error", () => {});
  checks.on("error", () => {});
  let runId: string | undefined;
  try {
    if (options.waitForLock) await client.query("SELECT pg_advisory_lock($1)", [INGEST_LOCK_KEY]);
    else {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [INGEST_LOCK_KEY]);
      if (!rows[0]!.ok) throw new IngestionBusyError();
    }
    await dropRawTables(side);
    // Holding the lock, any run still marked running belongs to a process that died.
    await client.query(
      `UPDATE acra_ingestion_runs SET status = 'failed', error = 'interrupted (the loading process stopped)', finished_at = now()
       WHERE status = 'running'`,
    );
    const inserted = await client.query<{ id: string }>("INSERT INTO acra_ingestion_runs (source, source_version) VALUES ($1, $2) RETURNING id", [
      options.source,
      options.sourceVersion ?? null,
    ]);
    runId = inserted.rows[0]!.id;
    const summary = await load(client, side, checks, runId, options, started);
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
    if (summary.inserted + summary.updated > 10_000) {
      const analyzing = performance.now();
      await client.query("ANALYZE staging_acra_companies");
      summary.phases.analyzing = seconds(analyzing);
    }
    return summary;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (runId) {
      await client.query("ROLLBACK").catch(() => {});
      await dropRawTables(side).catch(() => {});
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
    await checks.end().catch(() => {});
  }
}

/**
 * The raw tables a first load's checks connection committed (see `load`):
 * dropped by the merge, and here after a failed load or one whose process died.
 */
async function dropRawTables(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ drop: string }>(
    `SELECT format('DROP TABLE IF EXISTS %I', tablename) AS drop FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'acra\\_load\\_raw\\_%'`,
  );
  for (const r of rows) await client.query(r.drop);
}

/**
 * Sized for a million-row file: the raw and checked tables stay in memory, the
 * merge sorts without spilling, and a first load builds the registry's indexes
 * (the trigram index above all) in memory.
 */
const SESSION_SETTINGS = "SET temp_buffers = '2GB'; SET work_mem = '512MB'; SET maintenance_work_mem = '1GB'";

const UEN_COLUMN = ACRA_COLUMN_NAMES.indexOf("uen");

/** Seconds since `start` (a `performance.now()`), to the hundredth. */
const seconds = (start: number) => Math.round((performance.now() - start) / 10) / 100;

/**
 * The registry's rows as the framer recognises them (hash and UEN), read
 * inside the load's transaction. Loads are one at a time (the advisory lock)
 * and the application role may not write the registry, so what the framer
 * skips is what the registry still holds at the merge. No table lock: one that
 * kept writers out would also wait on a running (auto)vacuum of the registry.
 */
async function heldRecords(client: pg.Client): Promise<HeldRecords> {
  const prefix = sqlString(CONTENT_HASH_VERSION);
  const copy = client.query(
    copyStreams.to(
      `COPY (SELECT substr(content_hash, ${CONTENT_HASH_VERSION.length + 1}), uen FROM staging_acra_companies WHERE starts_with(content_hash, ${prefix})) TO STDOUT`,
    ),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of copy as AsyncIterable<Buffer>) chunks.push(chunk);
  return new HeldRecords(Buffer.concat(chunks));
}

/** The COPY of the records stored as written: the file's fields (all known columns), then what the framer appends. */
function storedCopySql(mapping: HeaderMapping): string {
  const columns = mapping.fields.map((f) => ("known" in f ? `"${ACRA_COLUMN_NAMES[f.known]}"` : "")).join(", ");
  return `COPY staging_acra_companies (${columns}, content_hash, first_run_id, last_run_id) FROM STDIN WITH (FORMAT csv, NULL 'na')`;
}

/**
 * Writes each pair of buffers `parts` yields to the two COPYs (the second may
 * be null), as fast as the slower takes them; fails as soon as either fails.
 */
async function copyInto(copies: [Writable, Writable | null], parts: AsyncIterable<[Buffer | null, Buffer | null]>): Promise<void> {
  const inputs = copies.map((copy) => (copy ? new PassThrough({ highWaterMark: 1 << 20 }) : null));
  const done = Promise.all(copies.map((copy, k) => copy && pipeline(inputs[k]!, copy)));
  done.catch(() => {});
  try {
    for await (const part of parts) {
      for (const [k, input] of inputs.entries()) {
        const bytes = part[k];
        if (!input || !bytes || input.write(bytes)) continue;
        // A failed COPY shows in `done`; the stream's own error then would be nobody's.
        const drained = once(input, "drain");
        drained.catch(() => {});
        await Promise.race([drained, done]);
      }
    }
  } catch (error) {
    for (const input of inputs) input?.destroy(error instanceof Error ? error : new Error(String(error)));
    await done.catch(() => {});
    throw error;
  }
  for (const input of inputs) input?.end();
  await done;
}

async function load(client: pg.Client, side: pg.Client, checks: pg.Client, runId: string, options: IngestOptions, started: number): Promise<IngestSummary> {
  const rejects = new RejectSink(side, runId);
  const files: IngestFileSummary[] = [];
  const knownSizes = options.files.every((f) => f.size !== undefined);
  const bytesTotal = knownSizes ? options.files.reduce((s, f) => s + f.size!, 0) : undefined;
  let bytesBefore = 0;
  let rowsRead = 0;
  let rowsBefore = 0;
  const raws: RawFile[] = [];

  await client.query("BEGIN");
  const held = await heldRecords(client);
  // Into an empty registry the indexes are built once after the load (see dropIndexes), and records go straight in where they can.
  const { rows: registry } = await client.query<{ empty: boolean }>("SELECT NOT EXISTS (SELECT 1 FROM staging_acra_companies) AS empty");
  const first: FirstLoad | null = registry[0]!.empty ? { rebuild: await dropIndexes(client), stored: [] } : null;
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
    const framer = new CsvRecordFramer({
      onHeader: (fields) => {
        try {
          mapping = mapHeader(fields);
          const uenField = mapping.fields.findIndex((f) => "known" in f && f.known === UEN_COLUMN);
          if (held.size) framer.recognise(held, uenField);
          const kinds = first && fieldKinds(mapping);
          if (kinds) framer.storeAsWritten(kinds, uenField, CONTENT_HASH_VERSION, `,${runId},${runId}`);
        } catch (error) {
          throw new IngestionError(`${file.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
        return fields.length;
      },
      onSuspect: (record) => {
        const verdict = judgeSuspect(record, mapping!);
        if ("reject" in verdict) {
          rejects.add({ file: file.name, line: record.line, uen: verdict.uen, reason: verdict.reject, raw: record.raw.toString("utf8") });
          fileRejected++;
        }
        return verdict;
      },
    });

    let lastReport = 0;
    const framed = async function* () {
      for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        framer.write(chunk);
        const taken = framer.take();
        fileRows = framer.records + fileRejected;
        rowsRead = rowsBefore + fileRows;
        if (rejects.full) await rejects.flush();
        const stored = framer.takeDirect();
        if (taken || stored) yield { checked: taken, stored };
        if (fileRows - lastReport >= 5000) {
          lastReport = fileRows;
          progress("reading");
        }
      }
      framer.end();
      yield { checked: framer.take(), stored: framer.takeDirect() };
    };

    const raw = `acra_load_raw_${fileNo}`;
    try {
      const chunks = framed()[Symbol.asyncIterator]();
      // The header fixes the raw table's width, so the COPY starts after the first good records.
      const head = await chunks.next();
      if (!mapping) throw new IngestionError(`${file.name}: the file is empty (no header row)`);
      const storing = framer.storing;
      // A first load's raw table is another connection's, committed, so its COPY runs beside the registry's.
      const rawClient = storing ? checks : client;
      await rawClient.query(rawTableSql(raw, mapping.fields.length));
      const rawCopy = rawClient.query(copyStreams.from(`COPY ${raw} FROM STDIN WITH (FORMAT csv, NULL 'na')`));
      await copyInto(
        [rawCopy, storing ? client.query(copyStreams.from(storedCopySql(mapping))) : null],
        (async function* () {
          for (let next = head; !next.done; next = await chunks.next()) yield [next.value.checked, next.value.stored];
        })(),
      );
    } catch (error) {
      if (error instanceof IngestionError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new IngestionError(`${file.name}: ${reason}`);
    }
    if (first && framer.storing) first.stored.push({ fileNo, rows: framer.directRecords, keys: framer.takeDirectKeys() });
    fileRows = framer.records + fileRejected;
    await rejects.flush();
    const heldTable = framer.heldRecords ? `acra_load_held_${fileNo}` : null;
    if (heldTable) {
      await client.query(`CREATE TEMP TABLE ${heldTable} (line_no int, uen text, repeated boolean) ON COMMIT DROP`);
      await pipeline(Readable.from([framer.takeHeld()]), client.query(copyStreams.from(`COPY ${heldTable} FROM STDIN WITH (FORMAT csv)`)));
    }
    raws.push({ table: raw, fileNo, mapping, held: heldTable ? { table: heldTable, rows: framer.heldRecords } : null });
    files.push({
      name: file.name,
      sha256: hash.digest("hex"),
      bytes,
      rows: fileRows,
      rejected: fileRejected,
      held: framer.heldRecords,
      stored: framer.directRecords,
      missingColumns: mapping.missing.length,
      extraColumns: mapping.extras,
    });
    bytesBefore += bytes;
    rowsBefore += fileRows;
    rowsRead = rowsBefore;
    progress("reading");
  }

  const overall = (phase: IngestProgress["phase"], rejected: number) =>
    options.onProgress?.({
      file: files.at(-1)?.name ?? "",
      fileIndex: files.length - 1,
      fileCount: files.length,
      bytesRead: bytesBefore,
      bytesTotal,
      rows: rowsRead,
      rejected,
      phase,
    });
  overall("merging", rejects.count);
  const merging = performance.now();
  const merged = await mergeIntoRegistry(
    client,
    runId,
    files.map((f) => f.name),
    raws,
    first,
  );
  await client.query("COMMIT");
  const hundredths = (s: number) => Math.round(s * 100) / 100;
  const phases: IngestPhases = {
    reading: hundredths((merging - started) / 1000),
    merging: hundredths((performance.now() - merging) / 1000 - merged.indexing),
    indexing: hundredths(merged.indexing),
    analyzing: 0,
  };

  const rejected = rejects.count + merged.invalid;
  for (const [fileNo, count] of merged.invalidByFile) files[fileNo]!.rejected += count;
  const summary: IngestSummary = {
    runId,
    read: rowsRead,
    inserted: merged.inserted,
    updated: merged.updated,
    unchanged: merged.loaded - merged.inserted - merged.updated,
    rejected,
    duplicates: merged.duplicates,
    seconds: seconds(started),
    phases,
    files,
  };
  overall("done", rejected);
  return summary;
}
