import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { formatCount, formatUsd } from "~/utils/number-format";

type VendorUsage = { vendor: string; calls: number; units: number; errors: number; costUsd: number; cacheHits?: number };

const vendorColumn: DataColumn<VendorUsage> = { header: "Vendor", rowHeader: true, cell: (v) => v.vendor };
const callsColumn: DataColumn<VendorUsage> = { header: "Calls", align: "right", cell: (v) => formatCount(v.calls) };
const unitsColumn: DataColumn<VendorUsage> = { header: "Units", align: "right", cell: (v) => formatCount(v.units) };
const cacheHitsColumn: DataColumn<VendorUsage> = { header: "Cache hits", align: "right", cell: (v) => formatCount(v.cacheHits ?? 0) };
const errorsColumn: DataColumn<VendorUsage> = {
  header: "Errors",
  align: "right",
  cell: (v) => (v.errors ? <span className="font-semibold text-red-700">{formatCount(v.errors)} failed</span> : "0"),
};
const costColumn: DataColumn<VendorUsage> = { header: "Cost", align: "right", cell: (v) => formatUsd(v.costUsd) };

/** Calls, units, errors and cost per vendor: today's on the dashboard, one run's (with cache hits and a total) on its page. */
export function VendorUsageTable({
  vendors,
  withCacheHits = false,
  withTotal = false,
}: {
  vendors: VendorUsage[];
  withCacheHits?: boolean;
  withTotal?: boolean;
}) {
  const columns = [vendorColumn, callsColumn, unitsColumn, ...(withCacheHits ? [cacheHitsColumn] : []), errorsColumn, costColumn];
  return (
    <div className="relative overflow-x-auto">
      <DataTable
        columns={columns}
        rows={vendors}
        rowKey={(v) => v.vendor}
        density="compact"
        footer={
          withTotal
            ? [
                { content: "Total" },
                { content: formatCount(vendors.reduce((s, v) => s + v.calls, 0)) },
                { span: withCacheHits ? 3 : 2 },
                { content: formatUsd(vendors.reduce((s, v) => s + v.costUsd, 0)) },
              ]
            : undefined
        }
      />
    </div>
  );
}
