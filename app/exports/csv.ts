/**
 * CSV per RFC 4180 that is also safe to open in a spreadsheet: every field is
 * quoted (inner quotes doubled), rows end with CRLF, and a cell that a
 * spreadsheet would read as a formula (leading `=`, `+`, `-`, `@`, tab or
 * carriage return) gets a leading `'` so it stays text (OWASP "CSV injection").
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(value: CsvValue): string {
  const text = value === null || value === undefined ? "" : String(value);
  return `"${neutraliseFormula(text).replace(/"/g, '""')}"`;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
