/**
 * How current a source's data is: `fresh` while its last successful sync is
 * within the source's SLA, `stale` once older (the alert), `never` before
 * its first successful sync.
 */
export type Freshness = "fresh" | "stale" | "never";

export function sourceFreshness(lastSuccessAt: Date | null, slaMinutes: number, now: Date): { freshness: Freshness; ageMinutes: number | null } {
  if (!lastSuccessAt) return { freshness: "never", ageMinutes: null };
  const ageMinutes = Math.max(0, Math.floor((now.getTime() - lastSuccessAt.getTime()) / 60_000));
  return { freshness: ageMinutes > slaMinutes ? "stale" : "fresh", ageMinutes };
}
