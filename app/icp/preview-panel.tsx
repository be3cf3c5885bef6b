import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { formatWhen } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";
import { type PreviewResult, type PreviewSampleRow } from "./preview-view";

const SAMPLE_COLUMNS: DataColumn<PreviewSampleRow>[] = [
  {
    header: "Company",
    cell: (r) => (
      <>
        <span className="font-medium">{r.name}</span>
        <span className="block text-xs text-slate-500">
          {r.uen} · {r.status ?? "—"}
          {r.postalCode ? ` · S${r.postalCode}` : ""}
        </span>
      </>
    ),
  },
  {
    header: "SSIC",
    cell: (r) => <span title={r.ssicDescription ?? undefined}>{r.ssic ?? "—"}</span>,
    cellClassName: "text-slate-600",
  },
  {
    header: "Incorporated",
    cell: (r) => r.incorporated ?? "—",
    cellClassName: "whitespace-nowrap text-slate-600",
  },
];

/** What the editor's current (unsaved) rules match: a count, the fallback when nothing does, and a sample. */
export function PreviewPanel({
  preview,
  previewing,
  invalid,
  refresh,
}: {
  preview: Extract<PreviewResult, { ok: true }> | null;
  previewing: boolean;
  invalid: boolean;
  refresh: {
    status: string;
    candidateCount: number;
    finishedAt: string | null;
    icpVersion: number | null;
  } | null;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="preview-heading" aria-busy={previewing}>
      <div className="flex items-center justify-between gap-2">
        <h2 id="preview-heading" className="font-semibold text-slate-900">
          Preview
        </h2>
        {previewing ? <span className="text-xs text-slate-500">Updating…</span> : null}
      </div>
      {invalid ? <p className="mt-2 text-sm text-red-700">Fix the highlighted fields to update the preview.</p> : null}
      <p className="mt-2 text-2xl font-bold tracking-tight text-slate-900" aria-live="polite" data-testid="preview-count">
        {preview ? `Matches ${formatCount(preview.count)} ${preview.count === 1 ? "company" : "companies"}` : "—"}
      </p>
      {preview && preview.count === 0 && preview.fallbackCount !== null ? (
        <p className="mt-1 text-sm text-amber-800">
          Nothing matches: the run would fall back to the industries alone ({formatCount(preview.fallbackCount)} companies) and be flagged degraded.
        </p>
      ) : null}
      {refresh ? (
        <p className="mt-1 text-xs text-slate-500">
          Current candidate list: {formatCount(refresh.candidateCount)} ({refresh.status}
          {refresh.icpVersion ? `, version ${refresh.icpVersion}` : ""}
          {refresh.finishedAt ? `, ${formatWhen(refresh.finishedAt)}` : ""}).
        </p>
      ) : null}
      {preview && preview.sample.length ? (
        <div className={`-mx-4 mt-3 overflow-x-auto ${previewing ? "opacity-60" : ""}`}>
          <DataTable
            variant="inset"
            density="compact"
            caption={`A sample of ${preview.sample.length}, newest incorporations first`}
            captionClassName="px-4 pb-1 text-left text-xs text-slate-500"
            columns={SAMPLE_COLUMNS}
            rows={preview.sample}
            rowKey={(r) => r.uen}
          />
        </div>
      ) : null}
    </section>
  );
}
