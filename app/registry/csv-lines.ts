/**
 * Line numbers from csv-parse's `raw` record text. csv-parse's own `info`
 * costs a third of a load's parse time and miscounts CRLF inside quoted
 * fields, so a load counts the line breaks itself: CRLF, CR or LF once each.
 * Skipped empty lines arrive as leading breaks of the next record's raw text.
 */
const LEADING_BREAKS = /^(?:\r\n|\r|\n)+/;
const BREAK = /\r\n|\r|\n/g;

export type RawRecord = {
  /** Breaks before the record itself (empty lines csv-parse skipped). */
  leading: number;
  /** All breaks in the raw text, the record's own included. */
  breaks: number;
  /** The record's text without those empty lines. */
  text: string;
};

export function rawRecord(raw: string): RawRecord {
  const lead = LEADING_BREAKS.exec(raw)?.[0] ?? "";
  const leading = lead ? lead.match(BREAK)!.length : 0;
  const breaks = leading + (raw.length > lead.length ? countBreaks(raw, lead.length) : 0);
  return { leading, breaks, text: lead ? raw.slice(lead.length) : raw };
}

function countBreaks(raw: string, from: number): number {
  let n = 0;
  for (let i = from; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (raw.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** Tracks the 1-based line each record starts on, as records arrive in file order. */
export class LineCounter {
  private seen = 0;

  /** The record's first line and its text without skipped empty lines. */
  next(raw: string): { line: number; text: string } {
    const r = rawRecord(raw);
    const line = this.seen + r.leading + 1;
    this.seen += r.breaks;
    return { line, text: r.text };
  }
}
