/**
 * Numbers as the pages show them (Singapore English). A missing figure reads
 * "—" rather than 0, so an unfinished run never looks like an empty one.
 * Browser-safe.
 */
const integer = new Intl.NumberFormat("en-SG", { maximumFractionDigits: 0 });
const usd = new Intl.NumberFormat("en-SG", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 4 });

/** "12,345"; "—" when missing. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : integer.format(value);
}

/** A rate of 0..1 as "75 %", with one decimal under 10 % ("5.2 %"); "—" when missing. */
export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return "—";
  const pct = rate * 100;
  return `${pct >= 10 || pct === 0 ? Math.round(pct) : pct.toFixed(1)} %`;
}

/** "US$0.0054": vendor costs are fractions of a cent, so up to four decimals. */
export function formatUsd(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : usd.format(value);
}

const money = new Map<string, Intl.NumberFormat>();

/**
 * A deal amount in whole units of its currency (Singapore English: S$12,345 reads "$12,345", US$ stays "US$");
 * without a known currency (Odoo's leads carry none) the plain number. "—" when missing.
 */
export function formatMoney(value: number | null | undefined, currency: string | null): string {
  if (value === null || value === undefined) return "—";
  if (!currency) return integer.format(value);
  let format = money.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-SG", { style: "currency", currency, maximumFractionDigits: 0 });
    money.set(currency, format);
  }
  return format.format(value);
}

const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** A file size in decimal units, "912 B", "1.5 MB"; one decimal under 10 of a unit. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}
