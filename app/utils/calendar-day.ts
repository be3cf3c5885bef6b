/**
 * Days and instants Postgres's `date` and `timestamptz` accept. JavaScript
 * rolls an impossible day over (2024-02-30 reads as 1 March) and parses year
 * 0000 and years past 9999, which Postgres rejects, failing the whole query.
 * Browser-safe.
 */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const inPostgresYears = (instant: Date) => instant.getUTCFullYear() >= 1 && instant.getUTCFullYear() <= 9999;

/** Whether a text is a calendar day, YYYY-MM-DD, from 0001-01-01 to 9999-12-31: it reads back as itself. */
export function isCalendarDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && inPostgresYears(day) && day.toISOString().startsWith(text);
}

/** Whether a month, YYYY-MM, starts on a calendar day Postgres accepts: 0001-01 to 9999-12. */
export function isCalendarMonth(text: string): boolean {
  return isCalendarDay(`${text}-01`);
}

/** An instant as ISO text (`2026-11-30T08:00:00.000Z`), or null when it does not parse or falls outside years 0001–9999. */
export function postgresInstant(text: string): string | null {
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) || !inPostgresYears(instant) ? null : instant.toISOString();
}
