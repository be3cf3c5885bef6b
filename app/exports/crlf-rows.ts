/**
 * COPY ends CSV rows with a bare LF; our downloads end them with CRLF (RFC
 * 4180, and what spreadsheets expect). Every field of the export is quoted,
 * so a row ends at an LF outside quotes, while an LF inside a quoted field
 * is the field's own and stays as it is. The scanner jumps from quote to
 * quote (a doubled quote inside a field is an escaped one), keeps its state
 * across chunks, and copies bytes without decoding them.
 */
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export class CrlfRows {
  private inQuotes = false;
  /** A chunk ended on a quote inside a field: the next byte says whether it closed the field or was doubled. */
  private quotePending = false;

  push(chunk: Uint8Array): Uint8Array {
    const ends: number[] = [];
    let i = 0;
    if (this.quotePending) {
      this.quotePending = false;
      if (chunk.length > 0 && chunk[0] === QUOTE) i = 1;
      else this.inQuotes = false;
    }
    while (i < chunk.length) {
      if (this.inQuotes) {
        const quote = chunk.indexOf(QUOTE, i);
        if (quote === -1) break;
        if (quote + 1 === chunk.length) {
          this.quotePending = true;
          break;
        }
        if (chunk[quote + 1] === QUOTE) i = quote + 2;
        else {
          this.inQuotes = false;
          i = quote + 1;
        }
      } else {
        const byte = chunk[i]!;
        if (byte === QUOTE) this.inQuotes = true;
        else if (byte === LF) ends.push(i);
        i++;
      }
    }
    if (ends.length === 0) return chunk;
    const out = new Uint8Array(chunk.length + ends.length);
    let from = 0;
    let at = 0;
    for (const end of ends) {
      out.set(chunk.subarray(from, end), at);
      at += end - from;
      out[at++] = CR;
      out[at++] = LF;
      from = end + 1;
    }
    out.set(chunk.subarray(from), at);
    return out;
  }
}
