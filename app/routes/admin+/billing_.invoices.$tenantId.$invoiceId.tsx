import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { BILLING_ROLES } from "~/auth/roles";
import { formatPeriod, InvoiceDocument } from "~/billing/billing-ui";
import { nextInvoiceActions } from "~/billing/invoice";
import { BillingError, deleteDraftInvoice, invoiceWithLines, issueInvoice, markInvoicePaid, voidInvoice } from "~/billing/invoices.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { Page } from "~/components/ui/page";

const InvoiceParams = z.object({ tenantId: z.uuid(), invoiceId: z.uuid() });

/** One invoice, printable; the platform owner issues, marks paid, voids or deletes a draft. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, BILLING_ROLES);
  const ids = InvoiceParams.safeParse(params);
  const invoice = ids.success ? await invoiceWithLines(ids.data.tenantId, ids.data.invoiceId) : null;
  if (!invoice) throw new Response("No such invoice", { status: 404 });
  return { invoice, isOwner: viewer.roles.includes("platform_owner") };
}

const Paid = z.object({ paymentReference: z.string().trim().min(2, "Give the payment's reference").max(120) });
const Void = z.object({ reason: z.string().trim().min(3, "Say why it is voided").max(500) });

type ActionResult = { ok: false; message: string; errors?: Record<string, string[]> };

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const viewer = await requirePlatformUser(request, BILLING_ROLES);
  requireRole(request, viewer, ["platform_owner"]);
  const ids = InvoiceParams.safeParse(params);
  if (!ids.success) throw new Response("No such invoice", { status: 404 });
  const { tenantId, invoiceId } = ids.data;
  const actor = { sub: viewer.sub, email: viewer.email };
  const form = Object.fromEntries(await request.formData());
  const here = `/admin/billing/invoices/${tenantId}/${invoiceId}`;
  try {
    if (form.intent === "issue") {
      await issueInvoice(tenantId, invoiceId, actor);
      return redirect(here);
    }
    if (form.intent === "pay") {
      const parsed = Paid.safeParse(form);
      if (!parsed.success) return { ok: false, message: "Check the payment.", errors: z.flattenError(parsed.error).fieldErrors };
      await markInvoicePaid(tenantId, invoiceId, parsed.data.paymentReference, actor);
      return redirect(here);
    }
    if (form.intent === "void") {
      const parsed = Void.safeParse(form);
      if (!parsed.success) return { ok: false, message: "Check the reason.", errors: z.flattenError(parsed.error).fieldErrors };
      await voidInvoice(tenantId, invoiceId, parsed.data.reason, actor);
      return redirect(here);
    }
    if (form.intent === "delete") {
      await deleteDraftInvoice(tenantId, invoiceId, actor);
      return redirect(`/admin/billing/tenants/${tenantId}`);
    }
  } catch (error) {
    if (error instanceof BillingError) return { ok: false, message: error.message };
    throw error;
  }
  throw new Response("Unknown action", { status: 400 });
}

export default function InvoicePage() {
  const { invoice, isOwner } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const actions = isOwner ? nextInvoiceActions(invoice.status) : [];
  return (
    <Page
      title={invoice.number ?? `Draft invoice, ${formatPeriod(invoice.periodStart)}`}
      description={
        <span className="print:hidden">
          <Link to={`/admin/billing/tenants/${invoice.tenantId}`} className="text-brand-700 hover:underline">
            {invoice.tenantName}
          </Link>{" "}
          ·{" "}
          <a href={`/admin/billing/invoices/${invoice.tenantId}/${invoice.id}/csv`} className="text-brand-700 hover:underline" download>
            Download CSV
          </a>
        </span>
      }
      actions={
        <Button type="button" variant="secondary" className="print:hidden" onClick={() => window.print()}>
          Print
        </Button>
      }
    >
      {result ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 p-3 text-sm text-red-800 print:hidden">
          {result.message}
        </p>
      ) : null}
      {actions.length > 0 ? (
        <div className="mb-4 flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4 print:hidden">
          {actions.includes("issue") ? (
            <Form method="post">
              <Button type="submit" name="intent" value="issue" disabled={busy}>
                Issue invoice
              </Button>
              <p className="mt-1 text-xs text-slate-500">Issuing numbers it and freezes its figures; the workspace sees it in its portal.</p>
            </Form>
          ) : null}
          {actions.includes("delete") ? (
            <Form method="post">
              <Button type="submit" name="intent" value="delete" variant="secondary" disabled={busy}>
                Delete draft
              </Button>
            </Form>
          ) : null}
          {actions.includes("pay") ? (
            <Form method="post" className="flex items-end gap-2">
              <Field
                label="Payment reference"
                errors={result?.errors?.paymentReference}
                inputProps={{ name: "paymentReference", required: true, maxLength: 120 }}
              />
              <Button type="submit" name="intent" value="pay" disabled={busy}>
                Mark paid
              </Button>
            </Form>
          ) : null}
          {actions.includes("void") ? (
            <Form method="post" className="flex items-end gap-2">
              <Field label="Reason to void" errors={result?.errors?.reason} inputProps={{ name: "reason", required: true, maxLength: 500 }} />
              <Button type="submit" name="intent" value="void" variant="secondary" disabled={busy}>
                Void
              </Button>
            </Form>
          ) : null}
        </div>
      ) : null}
      <InvoiceDocument invoice={invoice} />
    </Page>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.invoice.number ?? "Draft invoice"} · Billing · Platform admin` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
