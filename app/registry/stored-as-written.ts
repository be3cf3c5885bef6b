import { ACRA_COLUMNS, REQUIRED_ACRA_COLUMNS, type HeaderMapping } from "./acra-columns";

/**
 * Which CSV fields the registry would store exactly as written: a field that
 * passes `acra-row-sql.ts`'s checks unchanged by its normalisation (no
 * padding, no spelling of "no value" other than an unquoted `na`, which COPY
 * reads as NULL, an upper-case UEN, a postal code that keeps its digits, an
 * amount without thousands separators). A record all of whose fields are
 * such can go by COPY straight into the registry's typed columns and be
 * stored as the checks would have stored it; any other record takes the
 * checked way. The test errs towards the checked way: a typed field in
 * quotes, say, is never taken as written.
 */
export const FieldKind = { Text: 1, Required: 2, Uen: 3, PostalCode: 4, Date: 5, Integer: 6, Amount: 7 } as const;

/**
 * Each field's kind, or null when the file's records cannot go straight in
 * (a column the registry does not have goes to `extra`, which the checks build).
 */
export function fieldKinds(mapping: HeaderMapping): Uint8Array | null {
  const kinds = new Uint8Array(mapping.fields.length);
  for (const [j, f] of mapping.fields.entries()) {
    if (!("known" in f)) return null;
    const column = ACRA_COLUMNS[f.known]!;
    if (column.name === "uen") kinds[j] = FieldKind.Uen;
    else if (column.name === "postal_code") kinds[j] = FieldKind.PostalCode;
    else if ((REQUIRED_ACRA_COLUMNS as readonly string[]).includes(column.name)) kinds[j] = FieldKind.Required;
    else if (column.kind === "date") kinds[j] = FieldKind.Date;
    else if (column.kind === "integer") kinds[j] = FieldKind.Integer;
    else if (column.kind === "amount") kinds[j] = FieldKind.Amount;
    else kinds[j] = FieldKind.Text;
  }
  return kinds;
}

const QUOTE = 0x22;
const SPACE = 0x20;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const n = 0x6e;
const a = 0x61;
const N = 0x4e;
const A = 0x41;

const digit = (b: number) => b >= 0x30 && b <= 0x39;
const digits = (bytes: Buffer, s: number, e: number) => {
  for (let i = s; i < e; i++) if (!digit(bytes[i]!)) return false;
  return true;
};
const number = (bytes: Buffer, s: number, e: number) => {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + bytes[i]! - 0x30;
  return v;
};

/** na, NA, Na, n/a, N/A (the empty value is handled before): what the checks read as no value. */
function missingSpelling(bytes: Buffer, s: number, length: number): boolean {
  const b0 = bytes[s]!;
  if (length === 2) return (b0 === n && bytes[s + 1] === a) || (b0 === N && (bytes[s + 1] === A || bytes[s + 1] === a));
  if (length === 3) return bytes[s + 1] === SLASH && ((b0 === n && bytes[s + 2] === a) || (b0 === N && bytes[s + 2] === A));
  return false;
}

/** YYYY-MM-DD of a real day in 1800–2200, as `isStrictIsoDate` decides. */
function isoDate(bytes: Buffer, s: number, e: number): boolean {
  if (e - s !== 10 || bytes[s + 4] !== MINUS || bytes[s + 7] !== MINUS) return false;
  if (!digits(bytes, s, s + 4) || !digits(bytes, s + 5, s + 7) || !digits(bytes, s + 8, s + 10)) return false;
  const y = number(bytes, s, s + 4);
  const m = number(bytes, s + 5, s + 7);
  const d = number(bytes, s + 8, s + 10);
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : 30 + ((m + Math.floor(m / 8)) % 2);
  return d <= days;
}

/** `^-?[0-9]{1,18}(\.[0-9]+)?$` */
function amount(bytes: Buffer, s: number, e: number): boolean {
  let i = bytes[s] === MINUS ? s + 1 : s;
  const start = i;
  while (i < e && digit(bytes[i]!)) i++;
  if (i === start || i - start > 18) return false;
  if (i === e) return true;
  return bytes[i] === DOT && i + 1 < e && digits(bytes, i + 1, e);
}

/** Whether field bytes `[s, e)` (quotes included) of a field of `kind` are stored as written. */
export function storedAsWritten(bytes: Buffer, s: number, e: number, kind: number): boolean {
  let cs = s;
  let ce = e;
  if (bytes[s] === QUOTE) {
    if (kind !== FieldKind.Text && kind !== FieldKind.Required && kind !== FieldKind.PostalCode) return false;
    cs++;
    ce--;
  } else if (e - s === 2 && bytes[s] === n && bytes[s + 1] === a) return kind !== FieldKind.Required && kind !== FieldKind.Uen;
  const length = ce - cs;
  if (length <= 0 || bytes[cs] === SPACE || bytes[ce - 1] === SPACE || missingSpelling(bytes, cs, length)) return false;
  switch (kind) {
    case FieldKind.Text:
    case FieldKind.Required:
      return true;
    case FieldKind.PostalCode:
      return !(length === 5 && digits(bytes, cs, ce));
    case FieldKind.Uen: {
      if (length !== 9 && length !== 10) return false;
      for (let i = cs; i < ce; i++) {
        const b = bytes[i]!;
        if (!digit(b) && (b < A || b > 0x5a)) return false;
      }
      return true;
    }
    case FieldKind.Date:
      return isoDate(bytes, cs, ce);
    case FieldKind.Integer:
      return length <= 9 && digits(bytes, cs, ce);
    case FieldKind.Amount:
      return amount(bytes, cs, ce);
    default:
      return false;
  }
}
