import { ACRA_COLUMNS, type AcraColumn, type HeaderMapping } from "./acra-columns";

/**
 * `parseAcraRecord` as one set-based SELECT: normalisation, validation with
 * the same reasons, and the content hash, over a file's raw staging table
 * (`line_no` and one text column `f1…fN` per field of the file, COPY'd with
 * NULL 'na'). Two levels, each kept apart by OFFSET 0 so that Postgres
 * evaluates every normalised value once and the checks read plain columns:
 *
 *   raw fields → normalised values (n) → checks, hash and reject details.
 *
 * The result has file_no, line_no, the 94 columns as text (`v0…v93`), extra
 * (jsonb), content_hash (the framer's hash of the record's bytes, versioned:
 * a change to these rules changes CONTENT_HASH_VERSION, and every row is
 * checked again), and `problem`: NULL for a good row, else [reason, raw line,
 * UEN as written].
 */
export const CONTENT_HASH_VERSION = "r1:";

const MISSING = ["", "na", "n/a", "NA", "N/A", "Na"];
const MISSING_LONGEST = Math.max(...MISSING.map((m) => m.length));

export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The raw field trimmed, with the spellings of "no value" as NULL. Most
 * values are longer than any such spelling and not padded: they are taken as
 * they are, and only the others pay for the trim and the comparisons (a
 * third of the normalisation's cost). Trimmed of spaces only: a trim of
 * JavaScript's whole whitespace set doubles the cost of a load, and ACRA pads
 * with spaces.
 */
function missingAsNull(field: string): string {
  let expr = `btrim(${field})`;
  for (const m of MISSING) expr = `NULLIF(${expr}, ${sqlString(m)})`;
  return `CASE WHEN octet_length(${field}) > ${MISSING_LONGEST} AND ${field} NOT LIKE ' %' AND ${field} NOT LIKE '% ' THEN ${field} ELSE ${expr} END`;
}

function normalized(column: AcraColumn | undefined, field: string): string {
  const value = missingAsNull(field);
  if (!column) return value;
  if (column.name === "uen") return `upper(${value})`;
  // Spreadsheet round-trips drop the leading zero of central-area postal codes (018956 → 18956).
  if (column.name === "postal_code") return `regexp_replace(${value}, '^([0-9]{5})$', '0\\1')`;
  if (column.kind === "amount") return `replace(${value}, ',', '')`;
  return value;
}

const v = (i: number) => `v${i}`;
const json = (expr: string) => `to_json(${expr})::text`;

/**
 * YYYY-MM-DD naming a real day of the years 1800–2200. The regular expression
 * settles the year, month and day ranges; only a day past the 28th needs the
 * calendar, whose casts cost more than the rest of a row's checks.
 */
function isStrictIsoDate(x: string): string {
  const shape = "^(?:1[89][0-9]{2}|2[01][0-9]{2}|2200)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$";
  const y = `substr(${x}, 1, 4)::int`;
  const m = `substr(${x}, 6, 2)::int`;
  const d = `substr(${x}, 9, 2)::int`;
  const leap = `(${y} % 4 = 0 AND ${y} % 100 <> 0 OR ${y} % 400 = 0)`;
  const days = `CASE WHEN ${m} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END ELSE 30 + (${m} + ${m} / 8) % 2 END`;
  return `CASE WHEN ${x} !~ '${shape}' THEN false WHEN substr(${x}, 9, 2) <= '28' THEN true ELSE ${d} <= ${days} END`;
}

/** Per typed column: the condition a present value must meet, and the message when it does not (as AcraRowSchema words it). */
function typedCheck(column: AcraColumn, x: string): { ok: string; message: string } | undefined {
  switch (column.kind) {
    case "date":
      return { ok: isStrictIsoDate(x), message: `'${column.name}: not a date (YYYY-MM-DD): ' || ${json(x)}` };
    case "integer":
      return { ok: `${x} ~ '^[0-9]{1,9}$'`, message: `'${column.name}: not a whole number: ' || ${json(x)}` };
    case "amount":
      return { ok: `${x} ~ '^-?[0-9]{1,18}(\\.[0-9]+)?$'`, message: `'${column.name}: not an amount: ' || ${json(x)}` };
    case "text":
      return undefined;
  }
}

const REQUIRED_TEXT = ["entity_name", "entity_status_description"];
const UEN = ACRA_COLUMNS.findIndex((c) => c.name === "uen");
const UEN_SHAPE = "^[0-9A-Z]{9,10}$";

/** The reasons of a failing record, in AcraRowSchema's order: typed columns in column order, then uen, entity_name, entity_status_description. */
function checks(): string[] {
  const list: string[] = [];
  ACRA_COLUMNS.forEach((c, i) => {
    const check = typedCheck(c, v(i));
    if (check) list.push(`CASE WHEN NOT (${check.ok}) THEN ${check.message} END`);
  });
  list.push(`CASE WHEN ${v(UEN)} IS NULL THEN 'uen is missing' WHEN ${v(UEN)} !~ '${UEN_SHAPE}' THEN 'uen: not a UEN: ' || ${json(v(UEN))} END`);
  for (const name of REQUIRED_TEXT) {
    const i = ACRA_COLUMNS.findIndex((c) => c.name === name);
    list.push(`CASE WHEN ${v(i)} IS NULL THEN '${name} is missing' END`);
  }
  return list;
}
const CHECKS = checks();

/** The raw record as CSV again, for the reject report (`na` where COPY read NULL). */
function rawLine(fieldCount: number): string {
  const fields = Array.from({ length: fieldCount }, (_, j) => {
    const f = `f${j + 1}`;
    return `CASE WHEN ${f} IS NULL THEN 'na' WHEN ${f} ~ '[",\\r\\n]' THEN '"' || replace(${f}, '"', '""') || '"' ELSE ${f} END`;
  });
  return `concat_ws(',', ${fields.join(", ")})`;
}

/**
 * Whether a record passes every check, in terms of its raw fields: the
 * combined test of the usual, all-valid case. A typed field that already
 * passes as written (no padding, no thousands separator, not a spelling of
 * "no value") is its own normalised value, so only the others are normalised
 * again for the test; the reasons are worked out only for records that fail.
 */
function recordPasses(fieldOf: Map<number, number>): string {
  const tests: string[] = [];
  ACRA_COLUMNS.forEach((c, i) => {
    const j = fieldOf.get(i);
    if (j === undefined) return;
    const f = `f${j}`;
    const n = normalized(c, f);
    const asWritten = typedCheck(c, f);
    if (asWritten) tests.push(`(${f} IS NULL OR ${asWritten.ok} OR ${n} IS NULL OR ${typedCheck(c, `(${n})`)!.ok})`);
  });
  const f = `f${fieldOf.get(UEN)!}`;
  tests.push(`(${f} ~ '${UEN_SHAPE}' OR ${normalized(ACRA_COLUMNS[UEN]!, f)} ~ '${UEN_SHAPE}')`);
  for (const name of REQUIRED_TEXT) {
    const i = ACRA_COLUMNS.findIndex((c) => c.name === name);
    tests.push(`${normalized(ACRA_COLUMNS[i]!, `f${fieldOf.get(i)!}`)} IS NOT NULL`);
  }
  return tests.join(" AND ");
}

/**
 * The checked rows of one file's raw table (those `where` keeps). The inner
 * level normalises and runs the combined test, in Postgres' parallel workers
 * when the raw table is large; it passes on the raw fields (as the CSV line
 * for the reject report) only for a record that fails, and the outer level
 * words the reasons from the normalised values for those records alone.
 */
export function checkedRowsSql(rawTable: string, fileNo: number, mapping: HeaderMapping, where = "true"): string {
  const fieldOf = new Map<number, number>();
  const extras: Array<{ name: string; field: number }> = [];
  mapping.fields.forEach((f, j) => ("known" in f ? fieldOf.set(f.known, j + 1) : extras.push({ name: f.extra, field: j + 1 })));
  const values = ACRA_COLUMNS.map((c, i) => {
    const j = fieldOf.get(i);
    return `${j === undefined ? "NULL::text" : normalized(c, `f${j}`)} AS ${v(i)}`;
  });
  const extra = extras.length
    ? `jsonb_strip_nulls(jsonb_build_object(${extras.map((e) => `${sqlString(e.name)}, ${normalized(undefined, `f${e.field}`)}`).join(", ")}))`
    : `'{}'::jsonb`;
  const uenField = fieldOf.get(UEN)!;
  const columns = ACRA_COLUMNS.map((_, i) => v(i)).join(", ");
  const reason = `array_to_string((array_remove(ARRAY[${CHECKS.join(", ")}], NULL))[1:3], '; ')`;
  const uenWritten = `CASE WHEN length(btrim(coalesce(f${uenField}, 'na'))) <= 20 THEN btrim(coalesce(f${uenField}, 'na')) END`;
  return `SELECT ${fileNo} AS file_no, line_no, ${columns}, extra,
  ${sqlString(CONTENT_HASH_VERSION)} || h AS content_hash,
  CASE WHEN failed IS NOT NULL THEN ARRAY[${reason}, failed[1], failed[2]] END AS problem
FROM (
  SELECT line_no, h, ${values.join(", ")}, ${extra} AS extra,
    CASE WHEN ${recordPasses(fieldOf)} THEN NULL ELSE ARRAY[${rawLine(mapping.fields.length)}, ${uenWritten}] END AS failed
  FROM ${rawTable} WHERE ${where} OFFSET 0
) n`;
}

/**
 * The raw staging table of a file with `fieldCount` fields: UNLOGGED (nothing
 * to recover after a crash; created and dropped inside the load's
 * transaction), and a real table so the checks can scan it in parallel.
 */
export function rawTableSql(rawTable: string, fieldCount: number): string {
  return `CREATE UNLOGGED TABLE ${rawTable} (line_no int, h text, ${Array.from({ length: fieldCount }, (_, j) => `f${j + 1} text`).join(", ")})`;
}

/** The registry columns as values of the checked rows, typed. */
export function typedValuesSql(alias: string): string {
  return ACRA_COLUMNS.map((c, i) => {
    const x = `${alias}.${v(i)}`;
    switch (c.kind) {
      case "date":
        return `${x}::date`;
      case "integer":
        return `${x}::int`;
      case "amount":
        return `${x}::numeric`;
      case "text":
        return x;
    }
  }).join(", ");
}
