/** Singapore has no daylight saving: UTC+8 all year. */
const OFFSET_MS = 8 * 60 * 60 * 1000;

/** The Singapore calendar date of an instant, as YYYY-MM-DD. */
export function singaporeDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The hour (0–23) on Singapore clocks at an instant. */
export function singaporeHour(instant: Date): number {
  return new Date(instant.getTime() + OFFSET_MS).getUTCHours();
}
