/**
 * ACRA's UEN formats: businesses (8 digits + check letter), local companies
 * (year + 5 digits + check letter), other entities (T/S/R + 2-digit year +
 * entity type + 4 digits + check letter). Shape only: the check letter is not
 * verified.
 */
const UEN = /^(?:\d{8}[A-Z]|\d{9}[A-Z]|[TSR]\d{2}[A-Z]{2}\d{4}[A-Z])$/;

/** True when a value, trimmed and upper-cased, has one of ACRA's UEN shapes. */
export function looksLikeUen(value: string): boolean {
  return UEN.test(value.trim().toUpperCase());
}
