import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { BILLING_ROLES } from "~/auth/roles";
import { invoiceCsvResponse } from "~/billing/invoice-csv.server";
import { invoiceWithLines } from "~/billing/invoices.server";

/** The invoice as CSV for the accounting system (formula-safe cells, CRLF rows). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformUser(request, BILLING_ROLES);
  const ids = z.object({ tenantId: z.uuid(), invoiceId: z.uuid() }).safeParse(params);
  const invoice = ids.success ? await invoiceWithLines(ids.data.tenantId, ids.data.invoiceId) : null;
  if (!invoice) throw new Response("No such invoice", { status: 404 });
  return invoiceCsvResponse(invoice);
}
