import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { bundleInput, listBundles, saveBundle } from "~/catalog/bundles.server";
import { moduleCatalog } from "~/catalog/module-catalog.server";
import { BUNDLE_TYPES, type ModuleSource } from "~/catalog/plan";
import { recentRollouts, startRollout } from "~/catalog/rollouts.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field, SelectField, TextareaField } from "~/components/forms";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { platformDb } from "~/db.server";
import { formatWhenWithSeconds } from "~/utils/date-format";

const SOURCES: Array<{ value: ModuleSource | ""; label: string }> = [
  { value: "", label: "All" },
  { value: "core", label: "Odoo core" },
  { value: "oca", label: "OCA" },
  { value: "other", label: "Other" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const url = new URL(request.url);
  const source = z.enum(["core", "oca", "other"]).safeParse(url.searchParams.get("source"));
  const [catalog, bundles, tenants, rollouts] = await Promise.all([
    moduleCatalog(),
    listBundles(),
    platformDb.tenant.findMany({
      where: { status: { not: "decommissioned" }, odooConnection: { isNot: null } },
      select: { id: true, slug: true, name: true, bundleCode: true, bundleVersion: true },
      orderBy: { slug: "asc" },
    }),
    recentRollouts(),
  ]);
  const editing = bundles.find((b) => b.code === url.searchParams.get("bundle")) ?? null;
  return {
    catalog: { ...catalog, modules: source.success ? catalog.modules.filter((m) => m.source === source.data) : catalog.modules },
    allModules: catalog.modules.map((m) => m.name),
    source: source.success ? source.data : "",
    bundles,
    editing,
    tenants,
    rollouts,
    isOwner: viewer.roles.includes("platform_owner"),
  };
}

const RolloutForm = z.object({
  bundle: z.string().min(1),
  tenants: z.array(z.uuid()).min(1, "Choose the tenants to roll out to"),
  canary: z.uuid({ message: "Choose the canary" }),
  batchSize: z.coerce.number().int().min(1, "At least 1").max(100),
});

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "refresh") {
    await moduleCatalog({ refresh: true });
    return { intent, ok: true as const, message: "Modules read again from the tenants' Odoo." };
  }
  if (intent === "save") {
    requireRole(request, viewer, ["platform_owner"]);
    const submission = parseWithZod(formData, { schema: bundleInput });
    if (submission.status !== "success") return { intent, ok: false as const, message: "Check the bundle's fields.", errors: submission.reply().error ?? {} };
    const saved = await saveBundle(submission.value);
    return redirect(`/admin/catalog?bundle=${saved.code}&saved=${saved.version}`);
  }
  if (intent === "rollout") {
    const submission = parseWithZod(formData, { schema: RolloutForm });
    if (submission.status !== "success") return { intent, ok: false as const, message: "Check the rollout's fields.", errors: submission.reply().error ?? {} };
    const { bundle, tenants, canary, batchSize } = submission.value;
    const result = await startRollout({
      bundleCode: bundle,
      tenantIds: tenants,
      canaryTenantId: canary,
      batchSize,
      actor: { sub: viewer.sub, email: viewer.email },
    });
    if (!result.ok) return { intent, ok: false as const, message: result.reason, errors: {} };
    return redirect(`/admin/catalog/rollouts/${result.rolloutId}`);
  }
  throw new Response("Unknown action", { status: 400 });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ModuleRow = LoaderData["catalog"]["modules"][number];
type RolloutRow = LoaderData["rollouts"][number];

const moduleColumns = (databases: number): DataColumn<ModuleRow>[] => [
  { header: "Module", cellClassName: "font-mono text-xs", cell: (m) => m.name },
  { header: "Summary", cell: (m) => m.summary },
  {
    header: "Source",
    cell: (m) => <Badge tone={m.source === "oca" ? "blue" : m.source === "core" ? "gray" : "amber"}>{m.source === "oca" ? "OCA" : m.source}</Badge>,
  },
  { header: "Author", cellClassName: "text-xs text-slate-600", cell: (m) => m.author },
  { header: "Installed", cell: (m) => (m.states.includes("uninstallable") ? "uninstallable" : `${m.installedIn} of ${databases}`) },
  { header: "Depends on", cellClassName: "font-mono text-xs", cell: (m) => m.dependencies.join(", ") },
];

const rolloutColumns: DataColumn<RolloutRow>[] = [
  { header: "Started", cellClassName: "whitespace-nowrap text-slate-600", cell: (r) => formatWhenWithSeconds(r.createdAt) },
  {
    header: "Bundle",
    cell: (r) => (
      <Link to={`/admin/catalog/rollouts/${r.id}`} className="font-medium text-brand-700 hover:underline">
        {r.bundleCode} v{r.version}
      </Link>
    ),
  },
  { header: "Tenants", cell: (r) => r._count.tenants },
  { header: "Status", cell: (r) => <Badge tone={statusTone(r.status)}>{r.status.replace("_", " ")}</Badge> },
  { header: "By", cell: (r) => r.actorEmail ?? "system" },
];

export default function Catalog() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  return (
    <Page
      title="Modules and bundles"
      description="The Odoo modules the tenants' databases offer, and the bundles the platform installs from them."
      actions={
        <Form method="post">
          <input type="hidden" name="intent" value="refresh" />
          <Button type="submit" variant="secondary" disabled={busy === "refresh"}>
            {busy === "refresh" ? "Reading Odoo…" : "Refresh modules"}
          </Button>
        </Form>
      }
    >
      {result && "message" in result ? (
        <p
          role="status"
          className={`mb-6 rounded-md border p-3 text-sm ${result.ok ? "border-emerald-200 bg-emerald-50" : "border-red-200 bg-red-50 text-red-900"}`}
        >
          {result.message}
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <BundlesSection />
        {data.isOwner ? <BundleEditor /> : null}
        <RolloutSection />
        <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="rollouts">
          <h2 id="rollouts" className="font-semibold">
            Recent rollouts
          </h2>
          {data.rollouts.length ? (
            <div className="mt-3 overflow-x-auto">
              <DataTable columns={rolloutColumns} rows={data.rollouts} rowKey={(r) => r.id} caption="Recent rollouts" />
            </div>
          ) : (
            <p className="mt-3 text-sm text-slate-600">No rollout yet.</p>
          )}
        </section>
        <section className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-2" aria-labelledby="modules">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="modules" className="font-semibold">
              Modules
            </h2>
            <nav aria-label="Module source" className="flex gap-1 text-sm">
              {SOURCES.map((s) => (
                <Link
                  key={s.value}
                  to={s.value ? `?source=${s.value}` : "?"}
                  aria-current={data.source === s.value ? "page" : undefined}
                  className={`rounded-md px-2.5 py-1 ${data.source === s.value ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600"}`}
                >
                  {s.label}
                </Link>
              ))}
            </nav>
          </div>
          <p className="mt-1 text-xs text-slate-500">
            Read from {data.catalog.databases} Odoo database{data.catalog.databases === 1 ? "" : "s"} at {formatWhenWithSeconds(data.catalog.fetchedAt)}
            {data.catalog.unreachable.length ? `; not reachable: ${data.catalog.unreachable.join(", ")}` : ""}.
          </p>
          {data.catalog.modules.length ? (
            <div className="mt-3 overflow-x-auto">
              <DataTable columns={moduleColumns(data.catalog.databases)} rows={data.catalog.modules} rowKey={(m) => m.name} caption="Modules" />
            </div>
          ) : (
            <p className="mt-3 text-sm text-slate-600">No module read: no tenant has an Odoo yet, or none answered.</p>
          )}
        </section>
      </div>
    </Page>
  );
}

function BundlesSection() {
  const { bundles, isOwner } = useLoaderData<typeof loader>();
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="bundles">
      <h2 id="bundles" className="font-semibold">
        Bundles
      </h2>
      {bundles.length === 0 ? (
        <EmptyState title="No bundle yet">
          A bundle is a set of Odoo modules installed together: start with a base bundle (CRM, contacts) for every tenant.
        </EmptyState>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100 text-sm">
          {bundles.map((b) => (
            <li key={b.code} className="py-2">
              <div className="flex items-center justify-between gap-2">
                <span>
                  <span className="font-medium">{b.name}</span> <span className="font-mono text-xs text-slate-500">{b.code}</span> <Badge>{b.type}</Badge>{" "}
                  <span className="text-slate-500">v{b.version}</span>
                </span>
                {isOwner ? (
                  <Link to={`?bundle=${b.code}`} className="text-brand-700 hover:underline">
                    Edit
                  </Link>
                ) : null}
              </div>
              <p className="text-slate-600">{b.description}</p>
              <p className="font-mono text-xs text-slate-500">{b.modules.join(", ")}</p>
              <p className="text-xs text-slate-500">
                {b._count.tenants} tenant{b._count.tenants === 1 ? "" : "s"} on it
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function BundleEditor() {
  const { editing, allModules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok && result.intent === "save" ? result.errors : {};
  const chosen = new Set(editing?.modules ?? []);
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="bundle-editor">
      <div className="flex items-center justify-between">
        <h2 id="bundle-editor" className="font-semibold">
          {editing ? `Edit ${editing.code} (v${editing.version})` : "New bundle"}
        </h2>
        {editing ? (
          <Link to="?" className="text-sm text-brand-700 hover:underline">
            New bundle
          </Link>
        ) : null}
      </div>
      <Form method="post" key={editing?.code ?? "new"} className="mt-3 space-y-3">
        <input type="hidden" name="intent" value="save" />
        <Field
          label="Code"
          errors={errors.code}
          help={editing ? "The code names the bundle; saving under another code makes a new bundle." : "Lowercase, e.g. finance-ppm"}
          inputProps={{ name: "code", defaultValue: editing?.code ?? "", readOnly: Boolean(editing) }}
        />
        <Field label="Name" errors={errors.name} inputProps={{ name: "name", defaultValue: editing?.name ?? "" }} />
        <TextareaField
          label="Description"
          errors={errors.description}
          textareaProps={{ name: "description", defaultValue: editing?.description ?? "", rows: 2 }}
        />
        <SelectField label="Type" errors={errors.type} selectProps={{ name: "type", defaultValue: editing?.type ?? "addon" }}>
          {BUNDLE_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Modules</legend>
          <p className="text-xs text-slate-500">A change of modules makes a new version; roll it out to the tenants on the bundle below.</p>
          <div className="mt-1 grid max-h-48 grid-cols-2 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 text-sm">
            {[...new Set([...allModules, ...chosen])].map((name) => (
              <label key={name} className="flex items-center gap-2 font-mono text-xs">
                <input type="checkbox" name="modules" value={name} defaultChecked={chosen.has(name)} /> {name}
              </label>
            ))}
          </div>
          <ErrorList errors={errors.modules} />
        </fieldset>
        <Button type="submit">{editing ? "Save bundle" : "Create bundle"}</Button>
      </Form>
    </section>
  );
}

function RolloutSection() {
  const { bundles, tenants } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok && result.intent === "rollout" ? result.errors : {};
  if (bundles.length === 0) return null;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="rollout">
      <h2 id="rollout" className="font-semibold">
        Roll out a bundle
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        The canary gets the bundle's current version first; the other tenants follow in batches once it is installed. The first failure stops the rollout, and
        the tenants not reached stay as they are.
      </p>
      <Form method="post" className="mt-3 space-y-3">
        <input type="hidden" name="intent" value="rollout" />
        <SelectField label="Bundle" errors={errors.bundle} selectProps={{ name: "bundle" }}>
          {bundles.map((b) => (
            <option key={b.code} value={b.code}>
              {b.name} (v{b.version})
            </option>
          ))}
        </SelectField>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Tenants</legend>
          <div className="mt-1 max-h-40 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2 text-sm">
            {tenants.map((t) => (
              <label key={t.id} className="flex items-center gap-2">
                <input type="checkbox" name="tenants" value={t.id} /> {t.name}{" "}
                <span className="text-xs text-slate-500">{t.bundleCode ? `${t.bundleCode} v${t.bundleVersion ?? "?"}` : "no bundle"}</span>
              </label>
            ))}
          </div>
          <ErrorList errors={errors.tenants} />
        </fieldset>
        <SelectField label="Canary" errors={errors.canary} help="Must be one of the tenants chosen above." selectProps={{ name: "canary" }}>
          {tenants.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </SelectField>
        <Field label="Batch size" errors={errors.batchSize} inputProps={{ name: "batchSize", type: "number", min: 1, defaultValue: 5 }} />
        <Button type="submit">Start rollout</Button>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Modules and bundles · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
