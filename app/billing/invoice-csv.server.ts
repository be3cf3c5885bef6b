import { csvRow } from "~/exports/csv";
import { invoiceCsvRows, type InvoiceCsvInput } from "./invoice";

/** An invoice's CSV download, named after its number (or its period while a draft). */
export function invoiceCsvResponse(invoice: InvoiceCsvInput): Response {
  const body = invoiceCsvRows(invoice).map(csvRow).join("");
  const name = invoice.number ?? `draft-${invoice.tenantSlug}-${invoice.periodStart.slice(0, 7)}`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
