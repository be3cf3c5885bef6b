import { Link } from "@remix-run/react";
import { BucketBadge } from "~/chat/reply-view";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { type Bucket } from "~/scoring/score";
import { type BreakdownRow } from "~/shortlist/breakdown";
import { formatDay, formatWhen } from "~/utils/date-format";

/** An opportunity's lead-engine origin, as `leadOriginOf` reads it and `GET /api/opportunities/:id` returns it (`lead_origin`). */
export type LeadOrigin = {
  uen: string;
  runId: string;
  runDate: string;
  icpVersion: number | null;
  /** When the run first pushed the company to Odoo (ISO). */
  pushedAt: string;
  /** How the deal was tied to the pushed lead: its Odoo partner, or an account with the same UEN. */
  matchedBy: "partner" | "uen";
  score: number;
  bucket: Bucket;
  rationale: string;
  breakdown: BreakdownRow[];
};

const breakdownColumns: DataColumn<BreakdownRow>[] = [
  { header: "Signal", rowHeader: true, cellClassName: "font-medium text-slate-800", cell: (row) => row.label },
  { header: "Evidence", cellClassName: "text-slate-700", cell: (row) => row.reason ?? row.signal ?? "—" },
  { header: "Points", align: "right", cellClassName: "whitespace-nowrap tabular-nums", cell: (row) => `${row.points.toFixed(1)} / ${row.weight.toFixed(0)}` },
];

/** "Found by the lead engine": the score and reasons the lead had when the platform pushed it, for an opportunity's page. */
export function LeadOriginPanel({ origin }: { origin: LeadOrigin }) {
  return (
    <section aria-labelledby="lead-origin" className="rounded-lg border border-slate-200 bg-white p-5" data-testid="lead-origin">
      <h2 id="lead-origin" className="flex flex-wrap items-center gap-2 font-semibold">
        Found by the lead engine <BucketBadge bucket={origin.bucket} />
        <span className="text-sm font-normal text-slate-600">score {origin.score.toFixed(1)}</span>
      </h2>
      <p className="mt-2 text-slate-800">{origin.rationale}</p>
      <p className="mt-1 text-xs text-slate-500">
        <Link to={`/app/runs/${origin.runId}`} className="text-brand-700 hover:underline">
          Run of {formatDay(origin.runDate)}
        </Link>
        {origin.icpVersion === null ? "" : ` · ICP v${origin.icpVersion}`} · pushed to Odoo {formatWhen(origin.pushedAt)} ·{" "}
        <Link to={`/app/companies/${encodeURIComponent(origin.uen)}`} className="text-brand-700 hover:underline">
          UEN {origin.uen}
        </Link>
      </p>
      {origin.breakdown.length > 0 ? (
        <div className="mt-4 overflow-x-auto">
          <DataTable columns={breakdownColumns} rows={origin.breakdown} rowKey={(row) => row.feature} label="Score breakdown when pushed" density="compact" />
        </div>
      ) : null}
    </section>
  );
}
