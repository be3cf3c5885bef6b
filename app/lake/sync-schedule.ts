import { singaporeHour } from "~/utils/singapore-time";
import { type LakeSource, type SyncMode } from "./pipeline";

/**
 * A source's sync schedule as the tenant set it in Settings: an incremental
 * sync every so many minutes, a full reconcile once a night at a Singapore
 * hour (or never), and how old its data may get before it is stale.
 * Browser-safe: the settings form offers these choices.
 */
export type SyncSchedule = { incrementalEveryMinutes: number; fullReconcileHour: number | null; freshnessSlaMinutes: number };

export const DEFAULT_SYNC_SCHEDULE: SyncSchedule = { incrementalEveryMinutes: 60, fullReconcileHour: 2, freshnessSlaMinutes: 120 };

export const INCREMENTAL_INTERVALS = [15, 30, 60, 120, 180, 360, 720, 1440] as const;
export const FRESHNESS_SLAS = [30, 60, 120, 180, 240, 360, 720, 1440, 2880] as const;

/** A nightly reconcile that ran this long ago is tonight's: the sweep runs many times within the reconcile hour. */
const FULL_RECONCILE_SPACING_MS = 20 * 60 * 60_000;

export type ScheduledSource = SyncSchedule & { lastSuccessAt: Date | null; lastFullAt: Date | null };

/**
 * Which sync the scheduler owes a source now: a source never synced gets a
 * full read; the full reconcile during its Singapore hour, once a night; an
 * incremental one once its interval has passed since the last success;
 * otherwise none.
 */
export function dueSync(source: ScheduledSource, now: Date): SyncMode | null {
  if (!source.lastSuccessAt) return "full";
  const reconcileTonight =
    source.fullReconcileHour !== null &&
    singaporeHour(now) === source.fullReconcileHour &&
    (!source.lastFullAt || now.getTime() - source.lastFullAt.getTime() >= FULL_RECONCILE_SPACING_MS);
  if (reconcileTonight) return "full";
  return now.getTime() - source.lastSuccessAt.getTime() >= source.incrementalEveryMinutes * 60_000 ? "incremental" : null;
}

/** "15 min", "1 h", "1 h 30 min", "1 day". */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "1 day" : `${minutes / 1440} days`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "02:00 Singapore time", or that the nightly reconcile is off. */
export function formatReconcileHour(hour: number | null): string {
  return hour === null ? "Off" : `${String(hour).padStart(2, "0")}:00 Singapore time`;
}

/** The alert kind of a source's staleness: one open alert per source. */
export function staleAlertKind(source: LakeSource): string {
  return `lake_stale_${source}`;
}
