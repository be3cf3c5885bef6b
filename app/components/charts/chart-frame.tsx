import { type ReactNode } from "react";
import { Skeleton } from "./skeleton";
import { useHydrated } from "./use-hydrated";

export type ChartTable = {
  caption: string;
  columns: string[];
  rows: Array<Array<ReactNode>>;
};

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
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{table.caption}</caption>
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col" className="py-1.5 pr-4 font-semibold">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {table.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row" className="py-1.5 pr-4 font-medium text-slate-900">
                        {cell}
                      </th>
                    ) : (
                      <td key={j} className="py-1.5 pr-4 tabular-nums text-slate-700">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
