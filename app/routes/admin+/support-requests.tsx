import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Button } from "~/components/ui/button";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { lastPageHref, pageParam, Pagination } from "~/components/ui/pagination";
import { Notice } from "~/dashboard/section";
import { platformDb } from "~/db.server";
import { SupportHandling } from "~/support/support-handling";
import { SupportRequestCard } from "~/support/support-request-list";
import { STATUS_LABELS, SUPPORT_STATUSES, SupportHandlingForm } from "~/support/support-requests";
import { handleSupportRequest, isSupportStatus, unsafeAllSupportRequests } from "~/support/support-requests.server";

/** The operators' support queue: every tenant's requests from the tenant portal, to move on and answer. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const url = new URL(request.url);
  const status = url.searchParams.get("status");
  const tenant = z.uuid().safeParse(url.searchParams.get("tenant"));
  const page = pageParam(url);
  const filter = { status: isSupportStatus(status) ? status : undefined, tenantId: tenant.success ? tenant.data : undefined };
  const list = await unsafeAllSupportRequests(filter, page);
  if (page > list.pages) throw redirect(lastPageHref(url, list.pages));
  const tenantFilter = filter.tenantId ? await platformDb.tenant.findUnique({ where: { id: filter.tenantId }, select: { id: true, name: true } }) : null;
  return { ...list, page, filter: { status: filter.status ?? "", tenant: tenantFilter } };
}

type ActionResult = { ok: boolean; message: string; requestId?: string; errors?: Record<string, string[] | undefined> };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const form = Object.fromEntries(await request.formData());
  const parsed = SupportHandlingForm.safeParse(form);
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return { ok: false, message: "Check the request's form.", requestId: typeof form.requestId === "string" ? form.requestId : undefined, errors };
  }
  const result = await handleSupportRequest(parsed.data, { sub: viewer.sub, email: viewer.email });
  if (!result.ok) return { ok: false, message: result.reason, requestId: parsed.data.requestId };
  if (form.back === "tenant") return redirect(`/admin/tenants/${parsed.data.tenantId}`);
  return { ok: true, message: `The request is ${STATUS_LABELS[result.status]} now.`, requestId: parsed.data.requestId };
}

export default function SupportRequests() {
  const { requests, total, open, page, pages, filter } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title="Support requests" description={`${open} waiting for an answer · ${total} matching`}>
      {result ? <Notice ok={result.ok}>{result.message}</Notice> : null}
      {filter.tenant ? (
        <p className="mb-4 text-sm text-slate-700">
          Requests of {filter.tenant.name} ·{" "}
          <Link to="/admin/support-requests" className="text-brand-700 hover:underline">
            every tenant&apos;s
          </Link>
        </p>
      ) : null}
      <Form method="get" className="mb-6 flex flex-wrap items-end gap-3 text-sm">
        {filter.tenant ? <input type="hidden" name="tenant" value={filter.tenant.id} /> : null}
        <label className="flex flex-col">
          <span className="font-medium text-slate-700">Status</span>
          <select name="status" defaultValue={filter.status} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5">
            <option value="">Any</option>
            {SUPPORT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </Form>
      {requests.length === 0 ? (
        <EmptyState title="No support request">Requests tenant admins file from their portal appear here.</EmptyState>
      ) : (
        <div className="space-y-3">
          {requests.map((r) => (
            <div key={r.id} className="rounded-lg border border-slate-200 bg-white p-4">
              <p className="mb-2 text-sm">
                <Link to={`/admin/tenants/${r.tenant.id}`} className="font-medium text-brand-700 hover:underline">
                  {r.tenant.name}
                </Link>{" "}
                <span className="text-slate-500">{r.tenant.slug}</span>
              </p>
              <SupportRequestCard request={r}>
                <SupportHandling request={r} tenantId={r.tenant.id} errors={result?.requestId === r.id ? result.errors : undefined} />
              </SupportRequestCard>
            </div>
          ))}
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Support requests · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
