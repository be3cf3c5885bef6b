import { maskEmail, maskName } from "~/privacy/mask";
import { csvRow } from "./csv";

/**
 * One exported shortlist row, the same in CSV and JSON. The best contact is
 * the person (or, failing one, the address) most worth writing to: a verified
 * email first, then catch-all and unknown ones, then a person without an
 * address; never a pending (not yet verified), invalid, do-not-mail or
 * suppressed address.
 * Viewers get the name initialled and the address masked,
 * exactly as the company page shows them.
 */
export const EXPORT_COLUMNS = [
  "rank",
  "uen",
  "company_name",
  "bucket",
  "score",
  "domain",
  "industry",
  "headcount",
  "verified_contacts",
  "best_contact_name",
  "best_contact_title",
  "best_contact_email",
  "rationale",
  "run_date",
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export type ExportRecord = Record<ExportColumn, string | number | null>;

export function maskExportRecord(record: ExportRecord, masked: boolean): ExportRecord {
  if (!masked) return record;
  return {
    ...record,
    best_contact_name: typeof record.best_contact_name === "string" ? maskName(record.best_contact_name) : null,
    best_contact_email: typeof record.best_contact_email === "string" ? maskEmail(record.best_contact_email) : null,
  };
}

export const CSV_HEADER = csvRow(EXPORT_COLUMNS);

export function exportCsvLine(record: ExportRecord): string {
  return csvRow(EXPORT_COLUMNS.map((column) => record[column]));
}

export function exportJsonItem(record: ExportRecord): string {
  return JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, record[column]])));
}

/** `acme-shortlist-2026-11-22.csv`: tenant slugs are `[a-z0-9-]`, so the name needs no escaping. */
export function exportFilename(tenantSlug: string, kind: "shortlist" | "latest_scores", runDate: string, format: "csv" | "json"): string {
  return `${tenantSlug}-${kind.replace("_", "-")}-${runDate}.${format}`;
}
