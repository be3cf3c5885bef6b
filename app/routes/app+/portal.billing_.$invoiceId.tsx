import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { InvoiceDocument } from "~/billing/billing-ui";
import { Button } from "~/components/ui/button";
import { portalInvoice } from "~/portal/billing.server";
import { requirePortalAdmin } from "~/portal/portal-access.server";
import { PortalErrorBoundary } from "~/portal/portal-error-boundary";

/** One of the workspace's invoices, printable, with its CSV. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requirePortalAdmin(request);
  const id = z.uuid().safeParse(params.invoiceId);
  const invoice = id.success ? await portalInvoice(viewer.tenant.id, id.data) : null;
  if (!invoice) throw new Response("No such invoice", { status: 404 });
  return { invoice };
}

export default function PortalInvoice() {
  const { invoice } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-4 text-sm print:hidden">
        <Link to="/app/portal/billing" className="text-brand-700 hover:underline">
          ← All invoices
        </Link>
        <a href={`/app/portal/billing/${invoice.id}/csv`} className="text-brand-700 hover:underline" download>
          Download CSV
        </a>
        <Button type="button" variant="secondary" onClick={() => window.print()}>
          Print
        </Button>
      </div>
      <InvoiceDocument invoice={invoice} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.invoice.number ?? "Invoice"} · Tenant portal · Nexius Leads` }];

export const ErrorBoundary = PortalErrorBoundary;
