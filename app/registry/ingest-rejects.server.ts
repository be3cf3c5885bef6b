import type pg from "pg";
import { ACRA_COLUMN_NAMES, type HeaderMapping } from "./acra-columns";
import { parseAcraRecord } from "./acra-row";
import { joinCsvRecord, splitCsvRecord, type SuspectRecord } from "./csv-lines";

/**
 * Records the CSV framer could not pass on as they are: judged with the
 * per-row parser's rules and reasons, and the rejects written in batches on a
 * connection of their own, so they survive a load that fails for diagnosis.
 */
const REJECT_BATCH = 500;
/** Longest raw line kept with a reject. */
export const RAW_LINE_MAX = 8000;

type PendingReject = { file: string; line: number; uen: string | null; reason: string; raw: string | null };

export class RejectSink {
  private pending: PendingReject[] = [];
  count = 0;
  constructor(
    private readonly client: pg.Client,
    private readonly runId: string,
  ) {}

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
export function storableText(raw: string): string {
  const line = raw.replace(/(?:\r\n|\r|\n)$/, "").replace(/\u0000/g, "\u2400");
  return line.length > RAW_LINE_MAX ? `${line.slice(0, RAW_LINE_MAX)}…` : line;
}

function uenGuess(record: readonly string[], mapping: HeaderMapping): string | null {
  const i = mapping.fields.findIndex((f) => "known" in f && ACRA_COLUMN_NAMES[f.known] === "uen");
  const v = i >= 0 ? record[i]?.trim() : undefined;
  return v && v.length <= 20 ? v : null;
}

type Judged = { reject: string; uen: string | null } | { forward: Buffer };

/**
 * A record the framer could not pass on as it is: read its fields as
 * csv-parse did and judge it as the per-row parser does, with the same
 * reasons; a sound one goes on re-quoted.
 */
export function judgeSuspect(record: SuspectRecord, mapping: HeaderMapping): Judged {
  const text = record.raw.toString("utf8");
  const fields = splitCsvRecord(text);
  const uen = uenGuess(fields, mapping);
  if (record.unreadable) return { reject: record.unreadable, uen: null };
  const result = parseAcraRecord(fields, mapping);
  if (!result.ok) return { reject: result.reason, uen };
  return { forward: Buffer.from(joinCsvRecord(fields), "utf8") };
}
