/**
 * Instants, days and durations as the pages show them. Workspaces are in
 * Singapore, so instants are shown on Singapore clocks whatever the server's
 * or browser's zone; a calendar day (YYYY-MM-DD) is already a Singapore day
 * and is shown as it is. A missing value reads "—". Browser-safe.
 */
const SINGAPORE = "Asia/Singapore";

const when = new Intl.DateTimeFormat("en-SG", { dateStyle: "medium", timeStyle: "short", timeZone: SINGAPORE });
const whenWithSeconds = new Intl.DateTimeFormat("en-SG", { dateStyle: "medium", timeStyle: "medium", timeZone: SINGAPORE });
const date = new Intl.DateTimeFormat("en-SG", { dateStyle: "medium", timeZone: SINGAPORE });
const time = new Intl.DateTimeFormat("en-SG", { timeStyle: "short", timeZone: SINGAPORE });
const timeWithSeconds = new Intl.DateTimeFormat("en-SG", { timeStyle: "medium", timeZone: SINGAPORE });
const day = new Intl.DateTimeFormat("en-SG", { dateStyle: "medium", timeZone: "UTC" });
const shortDay = new Intl.DateTimeFormat("en-SG", { day: "numeric", month: "short", timeZone: "UTC" });

type Instant = string | Date;

/** An instant on Singapore clocks, e.g. "22 Nov 2026, 2:05 am". */
export function formatWhen(instant: Instant | null | undefined): string {
  return instant ? when.format(new Date(instant)) : "—";
}

/** An instant to the second, for audit trails: "22 Nov 2026, 2:05:09 am". */
export function formatWhenWithSeconds(instant: Instant | null | undefined): string {
  return instant ? whenWithSeconds.format(new Date(instant)) : "—";
}

/** The Singapore date of an instant, e.g. "22 Nov 2026". */
export function formatDate(instant: Instant | null | undefined): string {
  return instant ? date.format(new Date(instant)) : "—";
}

/** The Singapore time of day of an instant, e.g. "2:05 am". */
export function formatTime(instant: Instant | null | undefined): string {
  return instant ? time.format(new Date(instant)) : "—";
}

/** The Singapore time of day to the second, for event feeds: "2:05:09 am". */
export function formatTimeWithSeconds(instant: Instant | null | undefined): string {
  return instant ? timeWithSeconds.format(new Date(instant)) : "—";
}

/** A calendar date (YYYY-MM-DD, already a Singapore day), e.g. "22 Nov 2026". */
export function formatDay(isoDate: string): string {
  return day.format(new Date(`${isoDate}T00:00:00Z`));
}

/** A calendar date without the year, for chart axes: "22 Nov". */
export function formatShortDay(isoDate: string): string {
  return shortDay.format(new Date(`${isoDate}T00:00:00Z`));
}

/** Milliseconds from `start` to `end`, or null without both ends. */
export function durationMsBetween(start: Instant | null | undefined, end: Instant | null | undefined): number | null {
  if (!start || !end) return null;
  return new Date(end).getTime() - new Date(start).getTime();
}

/** A run's length: "1 h 02 min", "3 min 05 s", "12 s"; "—" when unknown. */
export function formatDurationMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** A step's latency: "850 ms" under a second, else "1.2 s"; "—" when unknown. */
export function formatLatencyMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** A terminal's clock-style duration, "1:05" or "1:02:03"; "--:--" when it cannot be known (an ETA before any progress). */
export function formatClockSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** A Postgres `date` column (read as midnight UTC) as its YYYY-MM-DD calendar day. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
