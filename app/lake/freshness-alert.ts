import { formatAge, SOURCE_LABEL } from "./data-page";
import { type LakeSource } from "./pipeline";
import { formatMinutes, staleAlertKind } from "./sync-schedule";

export type StaleSourceAlert = { kind: string; severity: "warning"; message: string; details: Record<string, unknown> };

/**
 * The alert a source older than its freshness SLA raises, or null while it
 * is within it. A source never synced is measured from when it was
 * connected, so one that never manages a first sync is flagged too.
 */
export function staleSourceAlert(
  source: LakeSource,
  state: { lastSuccessAt: Date | null; connectedAt: Date | null; freshnessSlaMinutes: number },
  now: Date,
): StaleSourceAlert | null {
  const since = state.lastSuccessAt ?? state.connectedAt;
  if (!since) return null;
  const ageMinutes = Math.floor((now.getTime() - since.getTime()) / 60_000);
  if (ageMinutes <= state.freshnessSlaMinutes) return null;
  const label = SOURCE_LABEL[source];
  const target = formatMinutes(state.freshnessSlaMinutes);
  const message = state.lastSuccessAt
    ? `${label} last synced successfully ${formatAge(ageMinutes)}, beyond its ${target} freshness target.`
    : `${label} has not synced successfully since it was connected ${formatAge(ageMinutes)} (freshness target ${target}).`;
  return {
    kind: staleAlertKind(source),
    severity: "warning",
    message,
    details: { source, ageMinutes, freshnessSlaMinutes: state.freshnessSlaMinutes, lastSuccessAt: state.lastSuccessAt?.toISOString() ?? null },
  };
}
