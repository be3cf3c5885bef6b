import { SOURCE_LABEL, freshnessNote } from "~/lake/data-page";
import { type Freshness } from "~/lake/freshness";
import { type LakeSource } from "~/lake/pipeline";
import { formatWhen } from "~/utils/date-format";

/** A source's freshness as a CRM page shows it; dates travel as ISO strings. */
export type SourceFreshness = {
  source: LakeSource;
  lastSuccessAt: string | null;
  freshness: Freshness;
  ageMinutes: number | null;
  freshnessSlaMinutes: number;
};

/** "Odoo: data as of 4 Dec 2026, 9:05 am · Synced 5 min ago", one line per source, stale ones in amber. */
export function DataAsOf({ sources }: { sources: readonly SourceFreshness[] }) {
  if (sources.length === 0) return <p className="text-sm text-slate-600">No source is connected yet: connect Odoo or Microsoft 365 on the Data page.</p>;
  return (
    <ul aria-label="Data freshness" className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
      {sources.map((source) => (
        <li
          key={source.source}
          data-testid={`data-as-of-${source.source}`}
          className={source.freshness === "stale" ? "font-medium text-amber-800" : "text-slate-600"}
        >
          <span className="font-medium">{SOURCE_LABEL[source.source]}</span>
          {source.lastSuccessAt ? `: data as of ${formatWhen(source.lastSuccessAt)}` : null}
          {" · "}
          {freshnessNote(source)}
        </li>
      ))}
    </ul>
  );
}
