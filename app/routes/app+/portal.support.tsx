import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, SelectField, TextareaField } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { lastPageHref, pageParam, Pagination } from "~/components/ui/pagination";
import { Notice, Section } from "~/dashboard/section";
import { actorOf, requirePortalAdmin } from "~/portal/portal-access.server";
import { PortalErrorBoundary } from "~/portal/portal-error-boundary";
import { SupportRequestCard } from "~/support/support-request-list";
import { CATEGORY_LABELS, SEVERITY_LABELS, SUPPORT_CATEGORIES, SUPPORT_SEVERITIES, SupportRequestForm } from "~/support/support-requests";
import { fileSupportRequest, tenantSupportRequests } from "~/support/support-requests.server";

/** Support requests of the workspace: its admin files one and follows the operators' answers. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePortalAdmin(request);
  const url = new URL(request.url);
  const page = pageParam(url);
  const list = await tenantSupportRequests(viewer.tenant.id, page);
  if (page > list.pages) throw redirect(lastPageHref(url, list.pages));
  return { ...list, page, filed: url.searchParams.get("filed") === "1" };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requirePortalAdmin(request);
  const submission = parseWithZod(await request.formData(), { schema: SupportRequestForm });
  if (submission.status !== "success") return { submission: submission.reply() };
  await fileSupportRequest(viewer.tenant.id, submission.value, actorOf(viewer));
  // Back to the list's first page, where the new request is on top; a reload does not file it twice.
  return redirect("/app/portal/support?filed=1");
}

export default function PortalSupport() {
  const { requests, total, page, pages, filed } = useLoaderData<typeof loader>();
  return (
    <div className="grid gap-6 lg:grid-cols-5">
      <Section id="portal-support-new" title="New support request" className="lg:col-span-2">
        <SupportRequestFields />
      </Section>
      <Section id="portal-support-list" title={`Your requests (${total})`} className="lg:col-span-3">
        {filed ? <Notice ok>Filed. The platform&apos;s operators answer here; the status shows where it stands.</Notice> : null}
        {requests.length === 0 ? (
          <p className="text-sm text-slate-600">No request yet. File one on the left: the platform&apos;s operators see it at once.</p>
        ) : (
          <div className="space-y-3">
            {requests.map((r) => (
              <SupportRequestCard key={r.id} request={r} />
            ))}
          </div>
        )}
        <Pagination page={page} pages={pages} />
      </Section>
    </div>
  );
}

function SupportRequestFields() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [form, fields] = useForm({
    id: "support-request",
    lastResult: result?.submission,
    defaultValue: { category: "other", severity: "normal" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SupportRequestForm }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label="New support request">
      <Field label="Subject" inputProps={{ ...getInputProps(fields.subject, { type: "text" }), maxLength: 150 }} errors={fields.subject.errors} />
      <SelectField label="Category" selectProps={getSelectProps(fields.category)} errors={fields.category.errors}>
        {SUPPORT_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {CATEGORY_LABELS[c]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Severity" selectProps={getSelectProps(fields.severity)} errors={fields.severity.errors}>
        {SUPPORT_SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {SEVERITY_LABELS[s]}
          </option>
        ))}
      </SelectField>
      <TextareaField
        label="Description"
        help="What you did, what happened, and when. Never paste passwords or secrets."
        textareaProps={{ ...getTextareaProps(fields.body), rows: 6 }}
        errors={fields.body.errors}
      />
      <Button type="submit" disabled={busy}>
        {busy ? "Filing…" : "File request"}
      </Button>
    </Form>
  );
}

export const meta: MetaFunction = () => [{ title: "Support · Tenant portal · Nexius Leads" }];

export const ErrorBoundary = PortalErrorBoundary;
