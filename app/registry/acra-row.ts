import { createHash } from "node:crypto";
import { z } from "zod";
import { ACRA_COLUMNS, type AcraColumn, type HeaderMapping } from "./acra-columns";
import { isStrictIsoDate } from "./iso-date";

/**
 * One CSV record → one validated registry row, or the reason it is rejected.
 * Values stay strings (dates as YYYY-MM-DD) because they go straight into a
 * COPY stream; Postgres does the typing.
 */
export type AcraRow = {
  uen: string;
  /** Aligned with ACRA_COLUMNS; null for `na`, empty or absent. */
  values: Array<string | null>;
  /** Unknown columns of the file, kept verbatim (non-empty values only). */
  extra: Record<string, string> | null;
  contentHash: string;
};

export type RowResult = { ok: true; row: AcraRow } | { ok: false; reason: string };

const MISSING = new Set(["", "na", "n/a", "NA", "N/A", "Na"]);

const cleanText = z
  .string()
  .max(4000, "longer than 4000 characters")
  .refine((v) => !v.includes("\uFFFD"), "invalid UTF-8 byte sequence")
  .refine((v) => !v.includes("\u0000"), "contains a NUL byte");

function schemaFor(column: AcraColumn): z.ZodType<string | null> {
  switch (column.kind) {
    case "date":
      return z.string().refine(isStrictIsoDate, { error: (i) => `not a date (YYYY-MM-DD): ${JSON.stringify(i.input)}` }).nullable();
    case "integer":
      return z.string().regex(/^\d{1,9}$/, { error: (i) => `not a whole number: ${JSON.stringify(i.input)}` }).nullable();
    case "amount":
      return z.string().regex(/^-?\d{1,18}(\.\d+)?$/, { error: (i) => `not an amount: ${JSON.stringify(i.input)}` }).nullable();
    case "text":
      return cleanText.nullable();
  }
}

const shape: Record<string, z.ZodType<string | null>> = Object.fromEntries(ACRA_COLUMNS.map((c) => [c.name, schemaFor(c)]));
shape.uen = z.string({ error: "uen is missing" }).regex(/^[0-9A-Z]{9,10}$/, { error: (i) => `not a UEN: ${JSON.stringify(i.input)}` });
shape.entity_name = z.string({ error: "entity_name is missing" }).pipe(cleanText);
shape.entity_status_description = z.string({ error: "entity_status_description is missing" }).pipe(cleanText);

/** The per-row schema: every column typed, the three identifying ones required. */
export const AcraRowSchema = z.object(shape);

function normalizeValue(column: AcraColumn | undefined, raw: string): string | null {
  const value = raw.trim();
  if (MISSING.has(value)) return null;
  if (!column) return value;
  if (column.name === "uen") return value.toUpperCase();
  // Spreadsheet round-trips drop the leading zero of central-area postal codes (018956 → 18956).
  if (column.name === "postal_code" && /^\d{5}$/.test(value)) return `0${value}`;
  if (column.kind === "amount") return value.replace(/,/g, "");
  return value;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const field = issue.path.join(".");
      return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
    })
    .join("; ");
}

export function parseAcraRecord(record: readonly string[], mapping: HeaderMapping): RowResult {
  if (record.length !== mapping.fields.length) {
    return { ok: false, reason: `expected ${mapping.fields.length} fields, found ${record.length}` };
  }
  const input: Record<string, string | null> = {};
  let extra: Record<string, string> | null = null;
  for (let i = 0; i < record.length; i++) {
    const field = mapping.fields[i]!;
    if ("known" in field) {
      const column = ACRA_COLUMNS[field.known]!;
      input[column.name] = normalizeValue(column, record[i]!);
    } else {
      const value = normalizeValue(undefined, record[i]!);
      if (value !== null) (extra ??= {})[field.extra] = value;
    }
  }
  for (const name of mapping.missing) input[name] = null;
  if (extra) {
    for (const [key, value] of Object.entries(extra)) {
      const problem = cleanText.safeParse(value);
      if (!problem.success) return { ok: false, reason: `${key}: ${problem.error.issues[0]!.message}` };
    }
  }

  const parsed = AcraRowSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const values = ACRA_COLUMNS.map((c) => parsed.data[c.name] ?? null);
  return { ok: true, row: { uen: parsed.data.uen!, values, extra, contentHash: contentHashOf(values, extra) } };
}

/** Changes when any stored value changes, whatever the column order of the file was. */
export function contentHashOf(values: ReadonlyArray<string | null>, extra: Record<string, string> | null): string {
  const hash = createHash("sha1");
  for (const v of values) hash.update(v === null ? "\u0002\u0001" : `${v}\u0001`);
  if (extra) {
    for (const key of Object.keys(extra).sort()) hash.update(`${key}\u0003${extra[key]}\u0001`);
  }
  return hash.digest("hex");
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** A value in Postgres COPY text format (tab-separated, \N for NULL). */
export function copyText(value: string | null): string {
  if (value === null) return "\\N";
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/** The COPY line for the load table: file_no, line_no, the 94 columns, extra, content_hash. */
export function copyLine(fileNo: number, lineNo: number, row: AcraRow): string {
  let line = `${fileNo}\t${lineNo}`;
  for (const v of row.values) line += `\t${copyText(v)}`;
  line += `\t${copyText(row.extra ? JSON.stringify(row.extra) : "{}")}\t${row.contentHash}\n`;
  return line;
}
