import { formatCount, formatUsd } from "~/utils/number-format";

type VendorUsage = { vendor: string; calls: number; units: number; errors: number; costUsd: number; cacheHits?: number };

/** Calls, units, errors and cost per vendor: today's on the dashboard, one run's (with cache hits and a total) on its page. */
export function VendorUsageTable({ vendors, withCacheHits = false, withTotal = false }: { vendors: VendorUsage[]; withCacheHits?: boolean; withTotal?: boolean }) {
  const cell = "py-1.5 pr-4 text-right";
  return (
    <div className="relative overflow-x-auto">
      <table className="min-w-full text-sm">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-1.5 pr-4">Vendor</th>
            <th scope="col" className={cell}>Calls</th>
            <th scope="col" className={cell}>Units</th>
            {withCacheHits ? <th scope="col" className={cell}>Cache hits</th> : null}
            <th scope="col" className={cell}>Errors</th>
            <th scope="col" className="py-1.5 text-right">Cost</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 tabular-nums">
          {vendors.map((v) => (
            <tr key={v.vendor}>
              <th scope="row" className="py-1.5 pr-4 text-left font-medium">{v.vendor}</th>
              <td className={cell}>{formatCount(v.calls)}</td>
              <td className={cell}>{formatCount(v.units)}</td>
              {withCacheHits ? <td className={cell}>{formatCount(v.cacheHits ?? 0)}</td> : null}
              <td className={cell}>{v.errors ? <span className="font-semibold text-red-700">{formatCount(v.errors)} failed</span> : "0"}</td>
              <td className="py-1.5 text-right">{formatUsd(v.costUsd)}</td>
            </tr>
          ))}
        </tbody>
        {withTotal ? (
          <tfoot className="border-t border-slate-300 font-semibold tabular-nums">
            <tr>
              <th scope="row" className="py-1.5 pr-4 text-left">Total</th>
              <td className={cell}>{formatCount(vendors.reduce((s, v) => s + v.calls, 0))}</td>
              <td colSpan={withCacheHits ? 3 : 2} />
              <td className="py-1.5 text-right">{formatUsd(vendors.reduce((s, v) => s + v.costUsd, 0))}</td>
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
