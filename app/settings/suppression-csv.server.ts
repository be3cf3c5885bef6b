import { parse } from "csv-parse/sync";
import {
  cleanReason,
  isSuppressionKind,
  MAX_IMPORT_ROWS,
  normalizeSuppression,
  type ParsedRows,
  type RowError,
  type SuppressionKind,
  type SuppressionRow,
} from "./suppression";

/**
 * A suppression CSV upload. Columns are found by the header (`kind`, `value`,
 * `reason`, in any order; `email`, `domain` or `uen` as a header name means
 * that column holds values of that kind). Without a recognised header every
 * row is `value[,reason]` and the kind comes from the form (or is detected).
 *
 * Each physical line is one row, parsed on its own: a value never spans
 * lines in a suppression list, and a stray quote then spoils only its own
 * line instead of the rest of the file. A bad row is reported with its line
 * number and stores nothing; good rows are kept.
 */
type Layout = { valueAt: number; kindAt: number | null; reasonAt: number | null; kind: SuppressionKind | "auto"; header: boolean };

function layoutFrom(header: string[], fallbackKind: SuppressionKind | "auto"): Layout {
  const names = header.map((h) => h.trim().toLowerCase());
  const reasonAt = names.indexOf("reason");
  const kindAt = names.indexOf("kind");
  const valueAt = names.indexOf("value");
  if (valueAt >= 0) return { valueAt, kindAt: kindAt >= 0 ? kindAt : null, reasonAt: reasonAt >= 0 ? reasonAt : null, kind: fallbackKind, header: true };
  const typed = names.findIndex(isSuppressionKind);
  if (typed >= 0) return { valueAt: typed, kindAt: null, reasonAt: reasonAt >= 0 ? reasonAt : null, kind: names[typed] as SuppressionKind, header: true };
  return { valueAt: 0, kindAt: null, reasonAt: 1, kind: fallbackKind, header: false };
}

function parseLine(line: string): { ok: true; cells: string[] } | { ok: false; reason: string } {
  try {
    const records = parse(line, { relax_column_count: true, trim: true }) as string[][];
    return { ok: true, cells: records[0] ?? [] };
  } catch (error) {
    return { ok: false, reason: `unreadable CSV: ${(error as Error).message.replace(/^Invalid [^:]*: /, "")}` };
  }
}

export function parseSuppressionCsv(text: string, fallbackKind: SuppressionKind | "auto"): ParsedRows & { tooMany: boolean } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const rows: SuppressionRow[] = [];
  const errors: RowError[] = [];
  const seen = new Set<string>();
  let layout: Layout | null = null;
  let tooMany = false;

  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    if (!line.trim() || line.trim().startsWith("#")) continue;
    const parsed = parseLine(line);
    if (!parsed.ok) {
      errors.push({ line: lineNo, value: line.slice(0, 100), reason: parsed.reason });
      continue;
    }
    if (!layout) {
      layout = layoutFrom(parsed.cells, fallbackKind);
      if (layout.header) continue;
    }
    if (rows.length + errors.length >= MAX_IMPORT_ROWS) {
      tooMany = true;
      break;
    }
    const cells = parsed.cells;
    const raw = cells[layout.valueAt] ?? "";
    let kind: SuppressionKind | "auto" = layout.kind;
    if (layout.kindAt !== null) {
      const named = (cells[layout.kindAt] ?? "").trim().toLowerCase();
      if (named && !isSuppressionKind(named)) {
        errors.push({ line: lineNo, value: raw.slice(0, 100), reason: `unknown kind ${JSON.stringify(named)} (use email, domain or uen)` });
        continue;
      }
      if (named) kind = named as SuppressionKind;
    }
    const result = normalizeSuppression(kind, raw);
    if (!result.ok) {
      errors.push({ line: lineNo, value: raw.slice(0, 100), reason: result.reason });
      continue;
    }
    const key = `${result.kind}:${result.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ kind: result.kind, value: result.value, reason: cleanReason(layout.reasonAt === null ? null : cells[layout.reasonAt]) });
  }
  return { rows, errors, tooMany };
}
