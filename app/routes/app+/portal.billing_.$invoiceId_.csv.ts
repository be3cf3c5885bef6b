import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { invoiceCsvResponse } from "~/billing/invoice-csv.server";
import { portalInvoice } from "~/portal/billing.server";
import { requirePortalAdmin } from "~/portal/portal-access.server";

/** The workspace's invoice as CSV (its own, issued ones only: RLS decides). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requirePortalAdmin(request);
  const id = z.uuid().safeParse(params.invoiceId);
  const invoice = id.success ? await portalInvoice(viewer.tenant.id, id.data) : null;
  if (!invoice) throw new Response("No such invoice", { status: 404 });
  return invoiceCsvResponse(invoice);
}
