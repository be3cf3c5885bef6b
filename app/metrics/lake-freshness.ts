import { type Freshness, sourceFreshness } from "~/lake/freshness";

/** One tenant's enabled data-lake source, as the scrape reads it. */
export type SourceFreshnessRow = { tenant: string; source: string; lastSuccessAt: Date | null; slaMinutes: number };

/** Beyond this many enabled sources, per-tenant series stop: the aggregates alone stay (bounded label sets). */
export const PER_TENANT_FRESHNESS_CAP = 200;

export type FreshnessSeries = {
  /** Per source: the age of the stalest tenant's last successful sync, in seconds. */
  oldestSeconds: Map<string, number>;
  /** Enabled sources by source and fresh | stale | never. */
  counts: Array<{ source: string; freshness: Freshness; count: number }>;
  /** Per tenant and source: the age of its last successful sync; null above the cap. */
  perTenant: Array<{ tenant: string; source: string; seconds: number }> | null;
};

export function freshnessSeries(rows: SourceFreshnessRow[], now: Date, cap = PER_TENANT_FRESHNESS_CAP): FreshnessSeries {
  const oldestSeconds = new Map<string, number>();
  const counts = new Map<string, { source: string; freshness: Freshness; count: number }>();
  const perTenant: Array<{ tenant: string; source: string; seconds: number }> = [];
  for (const row of rows) {
    const { freshness } = sourceFreshness(row.lastSuccessAt, row.slaMinutes, now);
    const key = `${row.source}\n${freshness}`;
    const counted = counts.get(key) ?? { source: row.source, freshness, count: 0 };
    counted.count++;
    counts.set(key, counted);
    if (!row.lastSuccessAt) continue;
    const seconds = Math.max(0, (now.getTime() - row.lastSuccessAt.getTime()) / 1000);
    oldestSeconds.set(row.source, Math.max(oldestSeconds.get(row.source) ?? 0, seconds));
    perTenant.push({ tenant: row.tenant, source: row.source, seconds });
  }
  return { oldestSeconds, counts: [...counts.values()], perTenant: rows.length <= cap ? perTenant : null };
}
