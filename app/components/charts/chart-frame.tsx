import { type ReactNode } from "react";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { Skeleton } from "./skeleton";
import { useHydrated } from "./use-hydrated";

export type ChartTable = {
  caption: string;
  columns: string[];
  rows: Array<Array<ReactNode>>;
};

type ChartRow = ChartTable["rows"][number];

/** The first cell of a row names it; the others are its figures. */
function tableColumns(headers: string[]): DataColumn<ChartRow>[] {
  return headers.map((header, i) => ({
    header,
    cell: (row) => row[i],
    rowHeader: i === 0,
    cellClassName: i === 0 ? "font-medium text-slate-900" : "tabular-nums text-slate-700",
  }));
}

/**
 * A chart with what makes it usable without seeing it: a heading, a one-line
 * summary (also the chart's accessible name), and the same figures as a
 * table behind "Show as table" — the picture itself is one image to
 * assistive technology and keyboard users, who get the table instead. Before
 * hydration a skeleton holds its place.
 */
export function ChartFrame({
  id,
  title,
  summary,
  height = 240,
  table,
  legend,
  children,
}: {
  id: string;
  title: string;
  summary: string;
  height?: number;
  table: ChartTable;
  legend?: ReactNode;
  children: () => ReactNode;
}) {
  const hydrated = useHydrated();
  return (
    <figure aria-labelledby={`${id}-title`} className="flex min-w-0 flex-col gap-3">
      <div>
        <h3 id={`${id}-title`} className="font-semibold text-slate-900">
          {title}
        </h3>
        <p id={`${id}-summary`} className="text-sm text-slate-600">
          {summary}
        </p>
      </div>
      <div role="img" aria-labelledby={`${id}-title ${id}-summary`} style={{ height }} className="w-full min-w-0">
        {hydrated ? children() : <Skeleton className="h-full w-full" />}
      </div>
      {legend ? <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">{legend}</div> : null}
      <details className="text-sm">
        <summary className="cursor-pointer rounded text-brand-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-500">
          Show as table
        </summary>
        <div className="relative mt-2 overflow-x-auto">
          <DataTable columns={tableColumns(table.columns)} rows={table.rows} rowKey={(_, i) => String(i)} caption={table.caption} density="compact" />
        </div>
      </details>
    </figure>
  );
}
