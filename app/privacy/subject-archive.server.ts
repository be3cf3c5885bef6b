import tar from "tar-stream";
import { csvRow, type CsvValue } from "~/exports/csv";
import { recordCounts, type SubjectRecords } from "./subject-search.server";

/**
 * The access-request archive: `subject.json` with everything found, and one
 * CSV per kind of record (spreadsheet-safe, like every CSV the platform
 * writes), in a tar file.
 */
export type ArchiveFile = { name: string; body: string | Buffer };

type Table = { file: string; rows: Array<Record<string, unknown>> };

function tables(records: SubjectRecords): Table[] {
  return [
    { file: "contacts.csv", rows: records.contacts },
    { file: "emails.csv", rows: records.emails },
    { file: "email_verifications.csv", rows: records.verifications },
    { file: "crawl_snippets.csv", rows: records.crawlSnippets },
    { file: "chat_messages.csv", rows: records.chatMessages },
    { file: "exports.csv", rows: records.exports },
    { file: "lake_contacts.csv", rows: records.lakeContacts },
    { file: "lake_activities.csv", rows: records.lakeActivities },
    { file: "lake_raw_records.csv", rows: records.lakeRawRecords },
    { file: "suppression_entries.csv", rows: records.suppressions },
    {
      file: "odoo_partners.csv",
      rows:
        records.odoo.status === "ok"
          ? records.odoo.partners.map((p) => ({
              ...p,
              parent_id: p.parent_id ? p.parent_id[1] : "",
              blacklisted: records.odoo.status === "ok" && !!p.email && records.odoo.blacklisted.includes(p.email.toLowerCase()),
            }))
          : [],
    },
  ];
}

function cell(value: unknown): CsvValue {
  if (value === null || value === undefined || value === false) return value === false ? "false" : "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return value as CsvValue;
}

/** One table as CSV: a header of its columns (those of its first row), then a row per record. */
export function tableCsv(rows: ReadonlyArray<Record<string, unknown>>): string {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]!);
  return csvRow(columns) + rows.map((row) => csvRow(columns.map((c) => cell(row[c])))).join("");
}

export function archiveFiles(records: SubjectRecords, meta: { tenantSlug: string; exportedAt: Date; exportedBy: string | null }): ArchiveFile[] {
  const summary = { tenant: meta.tenantSlug, exportedAt: meta.exportedAt.toISOString(), exportedBy: meta.exportedBy, counts: recordCounts(records) };
  return [
    { name: "subject.json", body: `${JSON.stringify({ ...summary, ...records }, null, 2)}\n` },
    ...tables(records).map((t) => ({ name: t.file, body: tableCsv(t.rows) })),
  ];
}

/** The tar file in memory: one person's records are small, and a whole file can carry its length. */
export async function archiveTar(files: ArchiveFile[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const file of files) pack.entry({ name: file.name, mode: 0o600 }, file.body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `personal-data-acme-2026-12-05.tar` */
export function archiveFilename(tenantSlug: string, at: Date): string {
  return `personal-data-${tenantSlug}-${at.toISOString().slice(0, 10)}.tar`;
}
