/**
 * The registry's rows as the CSV framer can recognise them in a file: each
 * row's content hash (the framer's 64-bit hash of the record's bytes, as
 * `content_hash` stores it after the version prefix) and its UEN. A record
 * whose hash the registry holds *and* whose UEN field is byte for byte that
 * row's UEN is one the registry already holds exactly: a reload sends Postgres
 * only its line and UEN instead of its 94 fields, and nothing checks or writes
 * it again. Requiring the UEN too keeps the chance of a false match to a
 * 64-bit collision within one company's rows, as comparing by UEN did.
 *
 * Built from `COPY (SELECT hash, uen …) TO STDOUT` text: one `<16 hex>\t<UEN>`
 * line per row. Open addressing over typed arrays: no object per row.
 */
export class HeldRecords {
  readonly size: number;
  private readonly mask: number;
  private readonly hi: Int32Array;
  private readonly lo: Int32Array;
  /** Where the slot's UEN starts in `text`, -1 for an empty slot. */
  private readonly uenStart: Int32Array;
  private readonly uenLength: Uint8Array;
  /** Slots matched in this load: a second match is a repeated record. */
  private readonly matched: Uint8Array;

  constructor(private readonly text: Buffer) {
    let lines = 0;
    for (let i = text.indexOf(LF); i >= 0; i = text.indexOf(LF, i + 1)) lines++;
    let capacity = 16;
    while (capacity < lines * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.uenStart = new Int32Array(capacity).fill(-1);
    this.uenLength = new Uint8Array(capacity);
    this.matched = new Uint8Array(capacity);
    let size = 0;
    for (let start = 0; start < text.length;) {
      const end = text.indexOf(LF, start);
      const lineEnd = end < 0 ? text.length : end;
      const tab = start + 16;
      if (text[tab] !== TAB || lineEnd - tab - 1 > 255) throw new Error(`unexpected registry hash line: ${text.toString("utf8", start, lineEnd)}`);
      const hi = hexWord(text, start);
      const lo = hexWord(text, start + 8);
      let slot = this.slotOf(hi, lo);
      while (this.uenStart[slot]! >= 0 && !(this.hi[slot] === hi && this.lo[slot] === lo)) slot = (slot + 1) & this.mask;
      if (this.uenStart[slot]! < 0) size++;
      this.hi[slot] = hi;
      this.lo[slot] = lo;
      this.uenStart[slot] = tab + 1;
      this.uenLength[slot] = lineEnd - tab - 1;
      start = lineEnd + 1;
    }
    this.size = size;
  }

  /**
   * Whether the registry holds the record `bytes[start, end)` with hash
   * (hi, lo) exactly: the hash matches and field `uenField` (0-based) is that
   * row's UEN as it is stored. Returns the row's slot (for `copyUen`), or -1.
   * A quote before the UEN's end takes the record the full way (a comma
   * counted here could sit inside a quoted field).
   */
  match(hi: number, lo: number, bytes: Buffer, start: number, end: number, uenField: number): number {
    let slot = this.slotOf(hi, lo);
    for (;;) {
      if (this.uenStart[slot]! < 0) return -1;
      if (this.hi[slot] === hi && this.lo[slot] === lo) break;
      slot = (slot + 1) & this.mask;
    }
    let fieldStart = start;
    let field = 0;
    for (let k = start; field < uenField && k < end; k++) {
      const b = bytes[k]!;
      if (b === QUOTE) return -1;
      if (b === COMMA) {
        field++;
        fieldStart = k + 1;
      }
    }
    const length = this.uenLength[slot]!;
    const fieldEnd = fieldStart + length;
    if (field < uenField || fieldEnd > end || (fieldEnd < end && bytes[fieldEnd] !== COMMA)) return -1;
    const at = this.uenStart[slot]!;
    for (let j = 0; j < length; j++) if (bytes[fieldStart + j] !== this.text[at + j]) return -1;
    return slot;
  }

  /** Marks a matched slot; true when an earlier record of the load matched it already (the same UEN again). */
  repeated(slot: number): boolean {
    const before = this.matched[slot] === 1;
    this.matched[slot] = 1;
    return before;
  }

  /** Writes the UEN of a matched slot into `target` at `offset`; returns its length. */
  copyUen(slot: number, target: Buffer, offset: number): number {
    const at = this.uenStart[slot]!;
    return this.text.copy(target, offset, at, at + this.uenLength[slot]!);
  }

  private slotOf(hi: number, lo: number): number {
    return Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) & this.mask;
  }
}

const LF = 0x0a;
const TAB = 0x09;
const COMMA = 0x2c;
const QUOTE = 0x22;

const HEX_VALUE = new Int8Array(256).fill(-1);
for (let d = 0; d < 10; d++) HEX_VALUE[0x30 + d] = d;
for (let d = 0; d < 6; d++) HEX_VALUE[0x61 + d] = 10 + d;

/** Eight lower-case hex digits as a signed 32-bit word (as the framer's Math.imul hashes are). */
function hexWord(text: Buffer, at: number): number {
  let word = 0;
  for (let k = 0; k < 8; k++) {
    const value = HEX_VALUE[text[at + k]!]!;
    if (value < 0) throw new Error(`unexpected registry hash: ${text.toString("latin1", at, at + 8)}`);
    word = (word << 4) | value;
  }
  return word;
}
