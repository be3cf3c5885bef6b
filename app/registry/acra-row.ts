import { z } from "zod";
import { ACRA_COLUMNS, type AcraColumn, type HeaderMapping } from "./acra-columns";
import { isStrictIsoDate } from "./iso-date";

/**
 * One CSV record → one validated registry row, or the reason it is rejected:
 * the rules `acra-row-sql.ts` applies set-based to a whole load, here for the
 * few records the framer hands over one by one (NUL bytes, invalid UTF-8,
 * over-long or oddly quoted fields, wrong field counts). Values stay strings
 * (dates as YYYY-MM-DD).
 */
export type AcraRow = {
  uen: string;
  /** Aligned with ACRA_COLUMNS; null for `na`, empty or absent. */
  values: Array<string | null>;
  /** Unknown columns of the file, kept verbatim (non-empty values only). */
  extra: Record<string, string> | null;
};

export type RowResult = { ok: true; row: AcraRow } | { ok: false; reason: string };

const MISSING = new Set(["", "na", "n/a", "NA", "N/A", "Na"]);

const MAX_TEXT = 4000;

/** Why a text value cannot be stored, if it cannot. */
function textProblem(value: string): string | undefined {
  if (value.length > MAX_TEXT) return `longer than ${MAX_TEXT} characters`;
  if (value.includes("\uFFFD")) return "invalid UTF-8 byte sequence";
  if (value.includes("\u0000")) return "contains a NUL byte";
  return undefined;
}

const requiredText = (name: string) =>
  z.string({ error: `${name} is missing` }).check((ctx) => {
    const problem = textProblem(ctx.value);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  });

function schemaFor(column: AcraColumn): z.ZodType<string | null> | undefined {
  switch (column.kind) {
    case "date":
      return z
        .string()
        .refine(isStrictIsoDate, { error: (i) => `not a date (YYYY-MM-DD): ${JSON.stringify(i.input)}` })
        .nullable();
    case "integer":
      return z
        .string()
        .regex(/^\d{1,9}$/, { error: (i) => `not a whole number: ${JSON.stringify(i.input)}` })
        .nullable();
    case "amount":
      return z
        .string()
        .regex(/^-?\d{1,18}(\.\d+)?$/, { error: (i) => `not an amount: ${JSON.stringify(i.input)}` })
        .nullable();
    case "text":
      return undefined;
  }
}

/**
 * The per-row schema: the identifying columns required, dates strict, numbers
 * numeric. Free-text columns are checked by `textProblem` in the same pass
 * (they are half the columns, and a schema field each doubled the cost of a load).
 */
export const AcraRowSchema = z.object({
  ...Object.fromEntries(
    ACRA_COLUMNS.flatMap((c) => {
      const schema = schemaFor(c);
      return schema ? [[c.name, schema]] : [];
    }),
  ),
  uen: z.string({ error: "uen is missing" }).regex(/^[0-9A-Z]{9,10}$/, { error: (i) => `not a UEN: ${JSON.stringify(i.input)}` }),
  entity_name: requiredText("entity_name"),
  entity_status_description: requiredText("entity_status_description"),
});

const SCHEMA_COLUMNS = new Set(Object.keys(AcraRowSchema.shape));

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
  const values: Array<string | null> = new Array(ACRA_COLUMNS.length).fill(null);
  const typed: Record<string, string | null> = {};
  const problems: string[] = [];
  let extra: Record<string, string> | null = null;
  for (let i = 0; i < record.length; i++) {
    const field = mapping.fields[i]!;
    if ("known" in field) {
      const column = ACRA_COLUMNS[field.known]!;
      const value = normalizeValue(column, record[i]!);
      values[field.known] = value;
      if (SCHEMA_COLUMNS.has(column.name)) typed[column.name] = value;
      else if (value !== null) {
        const problem = textProblem(value);
        if (problem) problems.push(`${column.name}: ${problem}`);
      }
    } else {
      const value = normalizeValue(undefined, record[i]!);
      if (value === null) continue;
      const problem = textProblem(value);
      if (problem) problems.push(`${field.extra}: ${problem}`);
      (extra ??= {})[field.extra] = value;
    }
  }
  for (const name of mapping.missing) if (SCHEMA_COLUMNS.has(name)) typed[name] = null;

  const parsed = AcraRowSchema.safeParse(typed);
  if (!parsed.success || problems.length) {
    const reasons = [...(parsed.success ? [] : [describeIssues(parsed.error)]), ...problems];
    return { ok: false, reason: reasons.join("; ").split("; ").slice(0, 3).join("; ") };
  }
  return { ok: true, row: { uen: parsed.data.uen, values, extra } };
}
