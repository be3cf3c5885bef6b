import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import copyStreams from "pg-copy-streams";
import { ACRA_COLUMN_NAMES, type HeaderMapping } from "./acra-columns";
import { checkedRowsSql, CONTENT_HASH_VERSION, sqlString, typedValuesSql } from "./acra-row-sql";
import { RAW_LINE_MAX } from "./ingest-rejects.server";

const COLUMN_LIST = ACRA_COLUMN_NAMES.map((c) => `"${c}"`).join(", ");
const UEN_INDEX = ACRA_COLUMN_NAMES.indexOf("uen");
const UNIQUE_VIOLATION = "23505";

export type Merged = {
  inserted: number;
  updated: number;
  loaded: number;
  invalid: number;
  invalidByFile: Map<number, number>;
  duplicates: number;
  /** Of the merge, the seconds a first load spent building the registry's key and indexes. */
  indexing: number;
};
/** A file's forwarded records (`table`), and the line and UEN of those the registry already held exactly (`held`). */
export type RawFile = { table: string; fileNo: number; mapping: HeaderMapping; held: { table: string; rows: number } | null };
/**
 * A load into an empty registry: the statements that build its indexes again
 * (see dropIndexes), and per file the records COPY'd straight into it, as the
 * framer's `line,UEN,hash` lines (`takeDirectKeys`).
 */
export type FirstLoad = { rebuild: string[]; stored: Array<{ fileNo: number; rows: number; keys: Buffer }> };

/**
 * Validation, rejects, duplicates and the merge, set-based. Rows the registry
 * already holds byte for byte never got here in full (the framer recognised
 * them: see HeldRecords); only their line and UEN take part in the duplicate
 * check. The others are checked and normalised once into `acra_checked`;
 * invalid ones become rejects; within the load the last line of a UEN wins
 * and the earlier ones are reported; then one upsert writes the winners and
 * says which it inserted (into an empty registry, `first`: a plain insert
 * before building the indexes again, whose key finds any repeated UEN: see
 * buildIndexes).
 */
export async function mergeIntoRegistry(client: pg.Client, runId: string, fileNames: string[], raws: RawFile[], first: FirstLoad | null): Promise<Merged> {
  const union = (parts: string[]) => parts.join("\nUNION ALL\n");
  const heldFiles = raws.flatMap((r) => (r.held ? [{ fileNo: r.fileNo, ...r.held }] : []));
  const heldRows = heldFiles.reduce((sum, h) => sum + h.rows, 0);
  const held = union(heldFiles.map((h) => `SELECT ${h.fileNo} AS file_no, line_no, uen, repeated FROM ${h.table}`));
  await client.query(`CREATE TEMP TABLE acra_checked ON COMMIT DROP AS ${union(raws.map((r) => checkedRowsSql(r.table, r.fileNo, r.mapping)))}`);
  for (const r of raws) await client.query(`DROP TABLE ${r.table}`);
  const invalid = await client.query<{ file_no: number; n: number }>(
    `WITH reported AS (
       INSERT INTO acra_ingestion_rejects (run_id, kind, file, line, uen, reason, raw_line)
       SELECT $1, 'invalid', ($2::text[])[file_no + 1], line_no, problem[3], problem[1], left(problem[2], ${RAW_LINE_MAX})
       FROM acra_checked WHERE problem IS NOT NULL
       RETURNING file
     ) SELECT array_position($2::text[], file) - 1 AS file_no, count(*)::int AS n FROM reported GROUP BY file`,
    [runId, fileNames],
  );
  // Within the load the last line of a UEN wins; the earlier ones are reported.
  const supersede = async (stored: string | null) => {
    await client.query(`
    CREATE TEMP TABLE acra_superseded ON COMMIT DROP AS
    WITH checked AS (SELECT file_no, line_no, v${UEN_INDEX} AS uen FROM acra_checked WHERE problem IS NULL),
    -- A held row can share its UEN only with a held row of the same bytes (flagged repeated) or a checked one.
    good AS (
      ${heldFiles.length ? `SELECT file_no, line_no, uen FROM (${held}) h WHERE uen IN (SELECT uen FROM (${held}) r WHERE repeated UNION ALL SELECT uen FROM checked) UNION ALL` : ""}
      ${stored ? `SELECT file_no, line_no, uen FROM ${stored} UNION ALL` : ""}
      SELECT file_no, line_no, uen FROM checked
    )
    SELECT file_no, line_no, uen, winner_file, winner_line FROM (
      SELECT file_no, line_no, uen, first_value(file_no) OVER w AS winner_file, first_value(line_no) OVER w AS winner_line
      FROM good WHERE uen IN (SELECT uen FROM good GROUP BY uen HAVING count(*) > 1)
      WINDOW w AS (PARTITION BY uen ORDER BY file_no DESC, line_no DESC)
    ) d
    WHERE (file_no, line_no) <> (winner_file, winner_line)`);
    const duplicates = await client.query(
      `INSERT INTO acra_ingestion_rejects (run_id, kind, file, line, uen, reason)
       SELECT $1, 'duplicate', ($2::text[])[file_no + 1], line_no, uen,
              'duplicate UEN ' || uen || ': superseded by ' || ($2::text[])[winner_file + 1] || ' line ' || winner_line
       FROM acra_superseded`,
      [runId, fileNames],
    );
    return duplicates.rowCount ?? 0;
  };
  const valid = "FROM acra_checked c WHERE c.problem IS NULL";
  const winners = `${valid} AND NOT EXISTS (SELECT 1 FROM acra_superseded d WHERE d.file_no = c.file_no AND d.line_no = c.line_no)`;
  const insert = (from: string) => `INSERT INTO staging_acra_companies (${COLUMN_LIST}, extra, content_hash, first_run_id, last_run_id)
       SELECT ${typedValuesSql("c")}, c.extra, c.content_hash, $1::uuid, $1::uuid ${from}`;
  let duplicateCount = 0;
  let inserted: number;
  let updated = 0;
  // Good rows (valid or held) less the superseded ones.
  let loaded: number;
  let indexing = 0;
  if (first) {
    inserted = first.stored.reduce((sum, s) => sum + s.rows, 0) + ((await client.query(insert(valid), [runId])).rowCount ?? 0);
    const started = performance.now();
    if (!(await buildIndexes(client, first.rebuild, true))) {
      await storedRecords(client, first.stored);
      duplicateCount = await supersede("acra_stored");
      inserted -= await deleteSuperseded(client);
      await buildIndexes(client, first.rebuild, false);
    }
    indexing = (performance.now() - started) / 1000;
    loaded = inserted;
  } else {
    duplicateCount = await supersede(null);
    const assignments = [...ACRA_COLUMN_NAMES.filter((c) => c !== "uen"), "extra", "content_hash", "last_run_id"]
      .map((c) => `"${c}" = excluded."${c}"`)
      .join(", ");
    const { rows } = await client.query<{ inserted: number; updated: number; loaded: number }>(
      `WITH merged AS (
         ${insert(winners)}
         ON CONFLICT (uen) DO UPDATE SET ${assignments}, updated_at = now()
         WHERE staging_acra_companies.content_hash IS DISTINCT FROM excluded.content_hash
         RETURNING (xmax = 0) AS inserted
       )
       SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
              (SELECT count(*) FROM acra_checked WHERE problem IS NULL)::int + ${heldRows} AS loaded
       FROM merged`,
      [runId],
    );
    inserted = rows[0]!.inserted;
    updated = rows[0]!.updated;
    loaded = rows[0]!.loaded - duplicateCount;
  }
  const invalidByFile = new Map(invalid.rows.map((r) => [r.file_no, r.n]));
  const invalidCount = invalid.rows.reduce((s, r) => s + r.n, 0);
  return {
    inserted,
    updated,
    loaded,
    invalid: invalidCount,
    invalidByFile,
    duplicates: duplicateCount,
    indexing,
  };
}

/**
 * Builds the indexes of a registry loaded while they were dropped. The key's
 * build is what finds UENs repeated within a first load, so the usual one
 * (every UEN once) needs no duplicate check: with `mayRepeat`, a build that
 * finds one undoes itself and returns false, for the caller to remove the
 * superseded rows and build again.
 */
async function buildIndexes(client: pg.Client, rebuild: string[], mayRepeat: boolean): Promise<boolean> {
  if (mayRepeat) await client.query("SAVEPOINT acra_first_load");
  try {
    for (const statement of rebuild) await client.query(statement);
  } catch (error) {
    if (!mayRepeat || (error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await client.query("ROLLBACK TO SAVEPOINT acra_first_load");
    return false;
  }
  if (mayRepeat) await client.query("RELEASE SAVEPOINT acra_first_load");
  return true;
}

/** The records a first load COPY'd straight into the registry, as `acra_stored` (file_no, line_no, uen, h). */
async function storedRecords(client: pg.Client, stored: FirstLoad["stored"]): Promise<void> {
  await client.query("CREATE TEMP TABLE acra_stored (file_no int, line_no int, uen text, h text) ON COMMIT DROP");
  for (const s of stored) {
    await client.query(`CREATE TEMP TABLE acra_stored_file (line_no int, uen text, h text) ON COMMIT DROP`);
    await pipeline(Readable.from([s.keys]), client.query(copyStreams.from("COPY acra_stored_file FROM STDIN WITH (FORMAT csv)")));
    await client.query(`INSERT INTO acra_stored SELECT ${s.fileNo}, line_no, uen, h FROM acra_stored_file; DROP TABLE acra_stored_file`);
  }
}

/**
 * Removes the rows of superseded lines from a first load that stored every
 * good line. A line's row is its UEN and content hash (two lines of one UEN
 * with the same hash have the same bytes, so the same row): of each such
 * pair, as many rows go as lines were superseded, and the winner's stays.
 */
async function deleteSuperseded(client: pg.Client): Promise<number> {
  const deleted = await client.query(
    `WITH lost AS (
       SELECT s.uen, coalesce(${sqlString(CONTENT_HASH_VERSION)} || st.h, c.content_hash) AS content_hash, count(*) AS n
       FROM acra_superseded s
       LEFT JOIN acra_stored st ON st.file_no = s.file_no AND st.line_no = s.line_no
       LEFT JOIN acra_checked c ON c.file_no = s.file_no AND c.line_no = s.line_no AND c.problem IS NULL
       GROUP BY 1, 2
     ), doomed AS (
       SELECT r.ctid AS row_id, row_number() OVER (PARTITION BY r.uen, r.content_hash) AS k, l.n
       FROM staging_acra_companies r JOIN lost l ON l.uen = r.uen AND l.content_hash = r.content_hash
     )
     DELETE FROM staging_acra_companies WHERE ctid IN (SELECT row_id FROM doomed WHERE k <= n)`,
  );
  return deleted.rowCount ?? 0;
}

/**
 * Drops the registry's indexes and key (none is referenced by a foreign key)
 * and returns the statements that build them again as they were. Into an
 * empty registry, building them once over the loaded rows costs a fraction
 * of maintaining them row by row — the trigram index most of all. The drop
 * locks the registry until COMMIT, which costs readers of an empty registry
 * nothing; a populated one keeps its indexes, so reads go on during a load.
 * Everything is inside the load's transaction: a failed load keeps them.
 */
export async function dropIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ drop: string; create: string }>(
    `SELECT CASE WHEN c.conname IS NULL THEN format('DROP INDEX %I.%I', n.nspname, i.relname)
                 ELSE format('ALTER TABLE staging_acra_companies DROP CONSTRAINT %I', c.conname) END AS drop,
            CASE WHEN c.conname IS NULL THEN pg_get_indexdef(x.indexrelid)
                 ELSE format('ALTER TABLE staging_acra_companies ADD CONSTRAINT %I %s', c.conname, pg_get_constraintdef(c.oid)) END AS create
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_namespace n ON n.oid = i.relnamespace
     LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
     WHERE x.indrelid = 'staging_acra_companies'::regclass
     ORDER BY x.indisprimary DESC, i.relname`,
  );
  for (const r of rows) await client.query(r.drop);
  return rows.map((r) => r.create);
}
