import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field, SelectField, TextareaField } from "~/components/forms";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { formatEnvDefaults, InfraTemplateForm, parseEnvDefaults, SIZE_PROFILE_NAMES, SIZE_PROFILES } from "~/infra/templates";
import { infraTemplatesWithTenants, markInfraTemplateTested, saveInfraTemplateVersion } from "~/infra/templates.server";
import { log } from "~/logger.server";

/**
 * Infra templates: what each tenant's deployment runs (images, size profile,
 * non-secret environment defaults), as versions. Operators read them; the
 * platform owner saves new versions and marks the ones that passed testing,
 * which are the only ones an image upgrade may roll out.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const templates = await infraTemplatesWithTenants();
  const from = new URL(request.url).searchParams.get("from");
  return {
    templates,
    basis: templates.find((t) => t.id === from) ?? null,
    isOwner: viewer.roles.includes("platform_owner"),
  };
}

const TestedForm = z.object({ id: z.uuid(), tested: z.enum(["true", "false"]) });

type ActionResult = { ok: false; intent: "save" | "tested"; message: string; errors: Record<string, string[] | null | undefined> };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  requireRole(request, viewer, ["platform_owner"]);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "save") {
    const submission = parseWithZod(formData, { schema: InfraTemplateForm });
    if (submission.status !== "success") return { ok: false, intent, message: "Check the template's fields.", errors: submission.reply().error ?? {} };
    const env = parseEnvDefaults(submission.value.envDefaults);
    if (!env.ok) return { ok: false, intent, message: "Check the template's fields.", errors: { envDefaults: [env.error] } };
    const { envDefaults: _text, ...template } = submission.value;
    const saved = await saveInfraTemplateVersion(template, env.env);
    log().info({ template: saved, actor: viewer.email }, "infra template version saved");
    return redirect(`/admin/infra/templates?saved=${encodeURIComponent(`${saved.name} v${saved.version}`)}`);
  }
  if (intent === "tested") {
    const parsed = TestedForm.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return { ok: false, intent, message: "Unknown template", errors: {} };
    const marked = await markInfraTemplateTested(parsed.data.id, parsed.data.tested === "true").catch(() => null);
    if (!marked) return { ok: false, intent, message: "No such template", errors: {} };
    log().info({ template: marked, actor: viewer.email }, "infra template testing mark changed");
    return redirect(`/admin/infra/templates?marked=${encodeURIComponent(`${marked.name} v${marked.version}`)}&tested=${marked.tested}`);
  }
  throw new Response("Unknown action", { status: 400 });
}

type TemplateRow = SerializeFrom<typeof loader>["templates"][number];

function templateColumns(isOwner: boolean): DataColumn<TemplateRow>[] {
  return [
    {
      header: "Template",
      cell: (t) => (
        <span className="font-medium text-slate-900">
          {t.name} <span className="text-slate-500">v{t.version}</span>
        </span>
      ),
    },
    { header: "Odoo image", cellClassName: "font-mono text-xs", cell: (t) => t.odooImage },
    { header: "Postgres image", cellClassName: "font-mono text-xs", cell: (t) => t.postgresImage },
    { header: "Size", cell: (t) => t.sizeProfile },
    {
      header: "Environment defaults",
      cellClassName: "font-mono text-xs text-slate-600",
      cell: (t) => formatEnvDefaults(t.envDefaults) || <span className="font-sans text-slate-400">none</span>,
    },
    { header: "Tested", cell: (t) => (t.tested ? <Badge tone="green">tested</Badge> : <Badge tone="amber">untested</Badge>) },
    { header: "Tenants", cell: (t) => t.tenants },
    {
      header: <span className="sr-only">Actions</span>,
      cell: (t) =>
        isOwner ? (
          <span className="flex flex-wrap items-center gap-2">
            <Form method="post">
              <input type="hidden" name="intent" value="tested" />
              <input type="hidden" name="id" value={t.id} />
              <input type="hidden" name="tested" value={String(!t.tested)} />
              <Button type="submit" variant="secondary" aria-label={`${t.tested ? "Mark untested" : "Mark tested"}: ${t.name} v${t.version}`}>
                {t.tested ? "Mark untested" : "Mark tested"}
              </Button>
            </Form>
            <Link to={`?from=${t.id}#template-form`} className="text-sm text-brand-700 hover:underline">
              New version
            </Link>
          </span>
        ) : null,
    },
  ];
}

export default function InfraTemplates() {
  const { templates, isOwner } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Infra templates"
      description="What a tenant's deployment runs. Each save is a new version; an image upgrade moves a tenant only to a newer version marked tested."
      actions={
        <Link to="/admin/infra/warm-pool" className="text-sm text-brand-700 hover:underline">
          Warm pool
        </Link>
      }
    >
      <Notice />
      {templates.length === 0 ? (
        <EmptyState title="No infra templates yet">
          {isOwner ? "Create the first one below; tenants' Helm values and compose files are generated from it." : "The platform owner creates them."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <DataTable variant="card" columns={templateColumns(isOwner)} rows={templates} rowKey={(t) => t.id} caption="Infra templates and their versions" />
        </div>
      )}
      {isOwner ? <TemplateForm /> : null}
    </Page>
  );
}

function Notice() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const marked = params.get("marked");
  const message =
    result && "message" in result
      ? result.message
      : saved
        ? `Saved ${saved}. It is untested until you mark it.`
        : marked
          ? `${marked} is now ${params.get("tested") === "true" ? "tested" : "untested"}.`
          : null;
  if (!message) return null;
  const failed = Boolean(result && "ok" in result && !result.ok);
  return (
    <p
      role="status"
      className={`mb-4 rounded-md border p-3 text-sm ${failed ? "border-red-200 bg-red-50 text-red-900" : "border-emerald-200 bg-emerald-50 text-emerald-900"}`}
    >
      {message}
    </p>
  );
}

function TemplateForm() {
  const { basis } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result && "errors" in result && result.intent === "save" ? result.errors : {};
  return (
    <section id="template-form" className="mt-6 max-w-2xl rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="template-form-title">
      <div className="flex items-baseline justify-between">
        <h2 id="template-form-title" className="font-semibold">
          {basis ? `New version of ${basis.name} (from v${basis.version})` : "New template"}
        </h2>
        {basis ? (
          <Link to="?#template-form" className="text-sm text-brand-700 hover:underline">
            New template
          </Link>
        ) : null}
      </div>
      <Form method="post" key={basis?.id ?? "new"} className="mt-3 space-y-3">
        <input type="hidden" name="intent" value="save" />
        <Field
          label="Name"
          errors={errors.name}
          help={basis ? "Saving under this name makes its next version." : "Lower-case, e.g. odoo-18"}
          inputProps={{ name: "name", defaultValue: basis?.name ?? "", readOnly: Boolean(basis), required: true }}
        />
        <Field label="Odoo image" errors={errors.odooImage} inputProps={{ name: "odooImage", defaultValue: basis?.odooImage ?? "", required: true }} />
        <Field
          label="Postgres image"
          errors={errors.postgresImage}
          inputProps={{ name: "postgresImage", defaultValue: basis?.postgresImage ?? "", required: true }}
        />
        <SelectField label="Size profile" errors={errors.sizeProfile} selectProps={{ name: "sizeProfile", defaultValue: basis?.sizeProfile ?? "small" }}>
          {SIZE_PROFILE_NAMES.map((name) => (
            <option key={name} value={name}>
              {name} ({SIZE_PROFILES[name].cpu} CPU, {SIZE_PROFILES[name].memory}, {SIZE_PROFILES[name].workers} workers)
            </option>
          ))}
        </SelectField>
        <TextareaField
          label="Environment defaults"
          errors={errors.envDefaults}
          help="KEY=value, one per line. No secrets: they come from the cluster's secret store."
          textareaProps={{ name: "envDefaults", defaultValue: basis ? formatEnvDefaults(basis.envDefaults) : "", rows: 4, className: "font-mono text-sm" }}
        />
        <ErrorList errors={errors[""]} />
        <Button type="submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Saving…" : basis ? "Save new version" : "Create template"}
        </Button>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Infra templates · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
