import { isUtf8 } from "node:buffer";
import { type HeldRecords } from "./held-records";
import { storedAsWritten } from "./stored-as-written";

/**
 * Byte-level CSV framing for a load: finds where each record starts and ends
 * (quotes, CRLF / CR / LF, blank lines, a BOM), which line it starts on, how
 * many fields it has and whether any byte needs a closer look (NUL, invalid
 * UTF-8, a field over 4000 bytes, a quote inside an unquoted field, a bad
 * closing quote). It builds no per-field strings: a sound record is forwarded
 * byte for byte as one line of COPY CSV, prefixed with its line number and
 * a 64-bit hash of its bytes (and the header's), and ended with LF (so CRLF files and mixed endings reach Postgres alike). Only
 * the header and the rare suspect record are split into strings, by
 * `splitCsvRecord`, which reads them as csv-parse's `relax_quotes` did.
 */
export type SuspectRecord = {
  line: number;
  /** The record's bytes without its line break. */
  raw: Buffer;
  fieldCount: number;
  /** Set when the record cannot be read as CSV at all. */
  unreadable?: string;
};

/** What to do with a suspect record: its reason to reject it, or the bytes to forward instead. */
export type Verdict = { reject: string } | { forward: Buffer };

export type FramerOptions = {
  /** The header record's fields; returns how many fields every record must have (throws to refuse the file). */
  onHeader(fields: string[]): number;
  onSuspect(record: SuspectRecord): Verdict;
};

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const T = 0x74;
const F = 0x66;
const MAX_FIELD_BYTES = 4000;
const REPLACEMENT_CHAR = Buffer.from("\uFFFD", "utf8");
const HEX = Buffer.from("0123456789abcdef", "latin1");

const SUSPECT_NUL = 1;
const SUSPECT_HIGH = 2;
const SUSPECT_LONG = 4;
const SUSPECT_STRAY_QUOTE = 8;

/** Byte classes for the scan: 0 for the bytes that need no attention. */
const CLASS = new Uint8Array(256);
const C_COMMA = 1;
const C_QUOTE = 2;
const C_BREAK = 3;
const C_NUL = 4;
const C_HIGH = 5;
CLASS[COMMA] = C_COMMA;
CLASS[QUOTE] = C_QUOTE;
CLASS[LF] = C_BREAK;
CLASS[CR] = C_BREAK;
CLASS[0] = C_NUL;
for (let b = 0x80; b < 256; b++) CLASS[b] = C_HIGH;

export class CsvRecordFramer {
  /** 1-based line of the next byte. */
  private line = 1;
  /** The previous chunk ended with a CR (a following LF belongs to it). */
  private pendingCR = false;
  private inQuotes = false;
  private afterQuote = false;
  private fields = 0;
  /** Bytes of the current field and record in earlier chunks. */
  private carriedField = 0;
  private carriedRecord = 0;
  /** Line breaks inside quoted fields of the current record. */
  private breaks = 0;
  private flags = 0;
  private badClosingQuote: string | null = null;
  /** Parts of the current record from earlier chunks. */
  private carried: Buffer[] = [];
  private expectedFields = -1;
  private out: Buffer = Buffer.allocUnsafe(1 << 20);
  private outLength = 0;
  /** Good records so far: forwarded, or held by the registry already. */
  records = 0;
  /** Records the registry already holds exactly (see `recognise`), not forwarded. */
  heldRecords = 0;
  private held: HeldRecords | null = null;
  private uenField = -1;
  private heldOut: Buffer = Buffer.allocUnsafe(0);
  private heldLength = 0;
  /** Per field, its kind for `storedAsWritten`; null while records are not sorted (see `storeAsWritten`). */
  private kinds: Uint8Array | null = null;
  /** Every field of the current record so far is stored as written. */
  private asWritten = true;
  private direct: { uenField: number; hashPrefix: Buffer; suffix: Buffer } | null = null;
  private directOut: Buffer = Buffer.allocUnsafe(0);
  private directLength = 0;
  private keysOut: Buffer = Buffer.allocUnsafe(0);
  private keysLength = 0;
  /** Records forwarded as they are written, for the registry's own COPY. */
  directRecords = 0;

  constructor(private readonly options: FramerOptions) {}

  /** Scans a chunk; complete records become COPY lines, to be collected with `take`. */
  write(chunk: Buffer): void {
    const n = chunk.length;
    let inQuotes = this.inQuotes;
    // The LF of a CRLF split across chunks: data inside quotes, else nothing.
    let i = this.pendingCR && n > 0 && chunk[0] === LF ? 1 : 0;
    this.pendingCR = false;
    let recordStart = inQuotes ? 0 : i;
    let fieldStart = recordStart;
    let afterQuote = this.afterQuote;
    let flags = this.flags;
    let fields = this.fields;
    let line = this.line;
    let breaks = this.breaks;
    let carriedField = this.carriedField;
    let kinds = this.kinds;
    let asWritten = this.asWritten;
    while (i < n) {
      if (inQuotes) {
        const b = chunk[i]!;
        if (afterQuote) {
          afterQuote = false;
          if (b === QUOTE) {
            i++;
            continue;
          }
          inQuotes = false;
          if (b !== COMMA && b !== LF && b !== CR && this.badClosingQuote === null) {
            this.badClosingQuote = `unreadable CSV: Invalid Closing Quote: got "${String.fromCharCode(b)}" at line ${line} instead of a delimiter or the end of the line`;
          }
          continue; // read b again, outside quotes
        }
        if (b === QUOTE) afterQuote = true;
        else if (b === CR || b === LF) {
          line++;
          breaks++;
          if (b === CR) {
            if (i + 1 < n) {
              if (chunk[i + 1] === LF) i++;
            } else this.pendingCR = true;
          }
        } else if (b === 0) flags |= SUSPECT_NUL;
        else if (b >= 0x80) flags |= SUSPECT_HIGH;
        i++;
        continue;
      }
      const c = CLASS[chunk[i]!]!;
      if (c === 0) {
        i++;
        continue;
      }
      if (c === C_COMMA) {
        if (i - fieldStart + carriedField > MAX_FIELD_BYTES) flags |= SUSPECT_LONG;
        if (kinds !== null && asWritten && (carriedField !== 0 || !storedAsWritten(chunk, fieldStart, i, kinds[fields]!))) asWritten = false;
        carriedField = 0;
        fields++;
        fieldStart = ++i;
        continue;
      }
      if (c === C_QUOTE) {
        if (i === fieldStart && carriedField === 0) inQuotes = true;
        else flags |= SUSPECT_STRAY_QUOTE;
        i++;
        continue;
      }
      if (c === C_BREAK) {
        if (i - fieldStart + carriedField > MAX_FIELD_BYTES) flags |= SUSPECT_LONG;
        if (kinds !== null && asWritten && (carriedField !== 0 || !storedAsWritten(chunk, fieldStart, i, kinds[fields]!))) asWritten = false;
        carriedField = 0;
        if (i > recordStart || this.carriedRecord > 0) {
          this.flags = flags;
          this.fields = fields;
          this.breaks = breaks;
          this.finishRecord(chunk, recordStart, i, line - breaks, asWritten);
          flags = 0;
          fields = 0;
          breaks = 0;
          // The header's record sets the kinds.
          kinds = this.kinds;
        }
        asWritten = true;
        line++;
        if (chunk[i] === CR) {
          if (i + 1 < n) {
            if (chunk[i + 1] === LF) i++;
          } else this.pendingCR = true;
        }
        recordStart = fieldStart = ++i;
        continue;
      }
      flags |= c === C_NUL ? SUSPECT_NUL : SUSPECT_HIGH;
      i++;
    }
    this.inQuotes = inQuotes;
    this.afterQuote = afterQuote;
    this.flags = flags;
    this.fields = fields;
    this.line = line;
    this.breaks = breaks;
    this.carriedField = carriedField;
    this.asWritten = asWritten;
    if (recordStart < n) {
      this.carried.push(chunk.subarray(recordStart, n));
      this.carriedRecord += n - recordStart;
      this.carriedField += n - fieldStart;
    }
  }

  /** The last record (a file need not end with a line break); a quote still open swallows the rest of the file. */
  end(): void {
    if (this.carriedRecord === 0) return;
    if (this.inQuotes && !this.afterQuote) {
      this.badClosingQuote = `unreadable CSV: Quote Not Closed: the file ends inside a quoted field of the record at line ${this.line - this.breaks}`;
    }
    if (this.carriedField > MAX_FIELD_BYTES) this.flags |= SUSPECT_LONG;
    this.finishRecord(Buffer.alloc(0), 0, 0, this.line - this.breaks, false);
  }

  /**
   * From now on, a record the registry already holds exactly (`held`, with
   * the UEN in field `uenField`) is not forwarded: only `line,UEN` is kept,
   * for `takeHeld`.
   */
  recognise(held: HeldRecords, uenField: number): void {
    this.held = held;
    this.uenField = uenField;
    if (!this.heldOut.length) this.heldOut = Buffer.allocUnsafe(1 << 20);
  }

  /**
   * `line,UEN,repeated\n` per held record so far, as COPY CSV; `repeated` (t/f)
   * says an earlier record of the load had the same bytes, so the duplicate
   * check need look only at those UENs and the ones of forwarded records.
   */
  takeHeld(): Buffer {
    const taken = this.heldOut.subarray(0, this.heldLength);
    this.heldOut = Buffer.allocUnsafe(0);
    this.heldLength = 0;
    return taken;
  }

  /**
   * From now on, a sound record whose every field is stored as written (see
   * `storedAsWritten`; `kinds` per field) is not forwarded for the checks but
   * kept, for `takeDirect`, as COPY CSV for the registry itself: the record's
   * bytes, its content hash (after `hashPrefix`) and `suffix`. Its line, UEN
   * (field `uenField`) and hash are kept too (`takeDirectKeys`).
   */
  storeAsWritten(kinds: Uint8Array, uenField: number, hashPrefix: string, suffix: string): void {
    this.kinds = kinds;
    this.direct = { uenField, hashPrefix: Buffer.from(`,${hashPrefix}`, "utf8"), suffix: Buffer.from(suffix, "utf8") };
    this.directOut = Buffer.allocUnsafe(1 << 20);
    this.keysOut = Buffer.allocUnsafe(1 << 20);
  }

  /** Whether records are sorted by `storeAsWritten`. */
  get storing(): boolean {
    return this.direct !== null;
  }

  /** The registry's COPY bytes of the records stored as written since the last call. */
  takeDirect(): Buffer | null {
    if (!this.directLength) return null;
    const taken = Buffer.from(this.directOut.subarray(0, this.directLength));
    this.directLength = 0;
    return taken;
  }

  /** `line,UEN,hash\n` per record stored as written, as COPY CSV: a record's row in the registry is its UEN and hash. */
  takeDirectKeys(): Buffer {
    const taken = this.keysOut.subarray(0, this.keysLength);
    this.keysOut = Buffer.allocUnsafe(0);
    this.keysLength = 0;
    return taken;
  }

  /** The COPY bytes of the records completed since the last call. */
  take(): Buffer | null {
    if (!this.outLength) return null;
    const taken = Buffer.from(this.out.subarray(0, this.outLength));
    this.outLength = 0;
    return taken;
  }

  private finishRecord(chunk: Buffer, start: number, end: number, line: number, asWritten: boolean) {
    const fieldCount = this.fields + 1;
    let flags = this.flags;
    const unreadable = this.badClosingQuote;
    const carried = this.carried;
    if (carried.length) this.carried = [];
    this.carriedField = 0;
    this.carriedRecord = 0;
    this.fields = 0;
    this.breaks = 0;
    this.flags = 0;
    this.badClosingQuote = null;
    this.inQuotes = false;
    this.afterQuote = false;

    // The common case, a sound record within one chunk, is copied straight from the chunk.
    if (!carried.length && !flags && !unreadable && fieldCount === this.expectedFields) {
      this.emit(line, chunk, start, end, asWritten && this.kinds !== null);
      return;
    }
    const raw = carried.length ? Buffer.concat([...carried, chunk.subarray(start, end)]) : chunk.subarray(start, end);
    if (this.expectedFields < 0) {
      for (let k = 0; k < raw.length; k++) this.hashSeed = Math.imul(this.hashSeed ^ raw[k]!, 0x01000193);
      this.expectedFields = this.options.onHeader(splitCsvRecord(raw.toString("utf8").replace(/^\uFEFF/, "")));
      return;
    }
    if (flags & SUSPECT_HIGH && isUtf8(raw) && raw.indexOf(REPLACEMENT_CHAR) < 0) flags &= ~SUSPECT_HIGH;
    if (flags || unreadable || fieldCount !== this.expectedFields) {
      const verdict = this.options.onSuspect({ line, raw, fieldCount, ...(unreadable ? { unreadable } : {}) });
      if ("forward" in verdict) this.emit(line, verdict.forward, 0, verdict.forward.length, false);
      return;
    }
    this.emit(line, raw, 0, raw.length, false);
  }

  /** `line,hash,record\n`: the hash (two 32-bit multiplicative hashes over the record's bytes) lets a reload skip rows it already has. */
  private emit(line: number, bytes: Buffer, start: number, end: number, direct: boolean) {
    const size = end - start + 40;
    if (this.outLength + size > this.out.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.outLength + size));
      this.out.copy(grown, 0, 0, this.outLength);
      this.out = grown;
    }
    let h1 = 0x811c9dc5 ^ this.hashSeed;
    let h2 = 0x1b873593;
    let i = start;
    for (; i + 3 < end; i += 4) {
      const w = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
      h1 = Math.imul(h1 ^ w, 0x01000193);
      h2 = Math.imul((h2 << 13) | (h2 >>> 19), 5) ^ Math.imul(w, 0x5bd1e995);
    }
    for (; i < end; i++) {
      h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
      h2 = Math.imul(h2 ^ bytes[i]!, 0x5bd1e995);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 15), 0x85ebca6b) ^ (end - start);
    this.records++;
    if (this.held) {
      const slot = this.held.match(h1, h2, bytes, start, end, this.uenField);
      if (slot >= 0) {
        this.keepHeld(line, slot);
        return;
      }
    }
    if (direct) {
      this.emitDirect(line, bytes, start, end, h1, h2);
      return;
    }
    // Digits and hex written byte by byte: a string per record cost as much as the scan.
    const out = this.out;
    let o = writeDigits(out, this.outLength, line);
    out[o++] = COMMA;
    o = writeHex(out, o, h1, h2);
    out[o++] = COMMA;
    o += bytes.copy(out, o, start, end);
    out[o++] = LF;
    this.outLength = o;
  }

  private emitDirect(line: number, bytes: Buffer, start: number, end: number, h1: number, h2: number) {
    const { uenField, hashPrefix, suffix } = this.direct!;
    const size = end - start + hashPrefix.length + 16 + suffix.length + 1;
    if (this.directLength + size > this.directOut.length) this.directOut = grow(this.directOut, this.directLength, size);
    const out = this.directOut;
    let o = this.directLength + bytes.copy(out, this.directLength, start, end);
    o += hashPrefix.copy(out, o);
    o = writeHex(out, o, h1, h2);
    o += suffix.copy(out, o);
    out[o++] = LF;
    this.directLength = o;
    this.directRecords++;
    // The UEN field: unquoted (it is stored as written), after fields that may be quoted.
    let u = start;
    for (let field = 0; field < uenField; field++) u = fieldEnd(bytes, u, end) + 1;
    const uenEnd = fieldEnd(bytes, u, end);
    // A line number, a UEN (10 bytes), the hash, two commas and LF.
    if (this.keysLength + 40 > this.keysOut.length) this.keysOut = grow(this.keysOut, this.keysLength, 40);
    const keys = this.keysOut;
    let k = writeDigits(keys, this.keysLength, line);
    keys[k++] = COMMA;
    k += bytes.copy(keys, k, u, uenEnd);
    keys[k++] = COMMA;
    k = writeHex(keys, k, h1, h2);
    keys[k++] = LF;
    this.keysLength = k;
  }

  private keepHeld(line: number, slot: number) {
    // A line number, a UEN (at most 255 bytes), t or f, two commas and LF.
    if (this.heldLength + 270 > this.heldOut.length) {
      const grown = Buffer.allocUnsafe(this.heldOut.length * 2);
      this.heldOut.copy(grown, 0, 0, this.heldLength);
      this.heldOut = grown;
    }
    const out = this.heldOut;
    let o = writeDigits(out, this.heldLength, line);
    out[o++] = COMMA;
    o += this.held!.copyUen(slot, out, o);
    out[o++] = COMMA;
    out[o++] = this.held!.repeated(slot) ? T : F;
    out[o++] = LF;
    this.heldLength = o;
    this.heldRecords++;
  }

  /** Mixed into every record's hash: the header's, so the same bytes under other columns hash differently. */
  private hashSeed = 0x811c9dc5;
}

/** The two 32-bit hashes as 16 hex digits at `out[o]`; returns the offset after them. */
function writeHex(out: Buffer, o: number, h1: number, h2: number): number {
  for (let shift = 28; shift >= 0; shift -= 4) out[o++] = HEX[(h1 >>> shift) & 15]!;
  for (let shift = 28; shift >= 0; shift -= 4) out[o++] = HEX[(h2 >>> shift) & 15]!;
  return o;
}

/** Where the field starting at `s` ends: its comma, or `end`. */
function fieldEnd(bytes: Buffer, s: number, end: number): number {
  let i = s;
  if (bytes[i] === QUOTE) {
    for (i++; i < end; i++) {
      if (bytes[i] !== QUOTE) continue;
      if (bytes[i + 1] !== QUOTE) break;
      i++;
    }
  }
  while (i < end && bytes[i] !== COMMA) i++;
  return i;
}

/** `buffer` with room for `more` bytes after its first `used`. */
function grow(buffer: Buffer, used: number, more: number): Buffer {
  const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, used + more));
  buffer.copy(grown, 0, 0, used);
  return grown;
}

/** `value` in decimal at `out[o]`; returns the offset after it. */
function writeDigits(out: Buffer, o: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let k = o + digits - 1, rest = value; k >= o; k--, rest = Math.floor(rest / 10)) out[k] = 0x30 + (rest % 10);
  return o + digits;
}

/**
 * One record's fields as csv-parse read them with `relax_quotes`: a quote
 * opens a field only at its start, `""` inside quotes is a quote, and a quote
 * anywhere else is taken literally.
 */
export function splitCsvRecord(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let value = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          value += text.slice(i);
          i = text.length;
          break;
        }
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const comma = text.indexOf(",", i);
      value += text.slice(i, comma < 0 ? text.length : comma);
      i = comma < 0 ? text.length : comma;
    } else {
      const comma = text.indexOf(",", i);
      value = text.slice(i, comma < 0 ? text.length : comma);
      i = comma < 0 ? text.length : comma;
    }
    fields.push(value);
    if (i >= text.length) return fields;
    i++;
  }
}

/** Fields back into one CSV record Postgres reads the same way (quoted where needed). */
export function joinCsvRecord(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(",");
}
