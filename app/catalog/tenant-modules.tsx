import { Form, useNavigation } from "@remix-run/react";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { type ModuleSource } from "./plan";

/**
 * A tenant's Modules tab: what its Odoo has installed (read now), the bundle
 * it is on, and applying a bundle (a module_apply operation). Takes its data
 * as props so the tenant page's tab bar can host it.
 */
export type TenantModulesProps = {
  installed: Array<{ name: string; summary: string; source: ModuleSource; dependencies: string[] }> | null;
  odooError: string | null;
  bundle: { code: string; version: number | null } | null;
  bundles: Array<{ code: string; name: string; version: number; modules: string[] }>;
  canApply: boolean;
};

const columns: DataColumn<NonNullable<TenantModulesProps["installed"]>[number]>[] = [
  { header: "Module", cellClassName: "font-mono text-xs", cell: (m) => m.name },
  { header: "Summary", cell: (m) => m.summary },
  { header: "Source", cell: (m) => <Badge tone={m.source === "oca" ? "blue" : "gray"}>{m.source === "oca" ? "OCA" : m.source}</Badge> },
  { header: "Depends on", cellClassName: "font-mono text-xs", cell: (m) => m.dependencies.join(", ") },
];

export function TenantModules({ installed, odooError, bundle, bundles, canApply }: TenantModulesProps) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "apply_bundle";
  const current = bundle ? bundles.find((b) => b.code === bundle.code) : undefined;
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="bundle">
        <h2 id="bundle" className="font-semibold">
          Bundle
        </h2>
        {bundle ? (
          <p className="mt-2 text-sm">
            <span className="font-medium">{current?.name ?? bundle.code}</span> {bundle.version ? `v${bundle.version}` : "(not applied yet)"}
            {current && bundle.version && current.version > bundle.version ? (
              <span className="ml-2 text-amber-800">v{current.version} is available</span>
            ) : null}
          </p>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No bundle applied yet.</p>
        )}
        {canApply && bundles.length ? (
          <Form method="post" className="mt-4 space-y-2">
            <input type="hidden" name="intent" value="apply_bundle" />
            <label className="block text-sm font-medium text-slate-700" htmlFor="apply-bundle">
              Apply a bundle
            </label>
            <select
              id="apply-bundle"
              name="bundle"
              defaultValue={bundle?.code ?? bundles[0]!.code}
              className="w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm"
            >
              {bundles.map((b) => (
                <option key={b.code} value={b.code}>
                  {b.name} (v{b.version}: {b.modules.join(", ")})
                </option>
              ))}
            </select>
            <p className="text-xs text-slate-500">
              Odoo installs the modules the workspace lacks, with their dependencies, and uninstalls the ones the bundle dropped since the version the workspace
              is on.
            </p>
            <Button type="submit" disabled={busy}>
              {busy ? "Planning…" : "Apply bundle"}
            </Button>
          </Form>
        ) : null}
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-2" aria-labelledby="installed">
        <h2 id="installed" className="font-semibold">
          Installed in Odoo
        </h2>
        {odooError ? <p className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-900">Odoo could not be read: {odooError}</p> : null}
        {installed?.length === 0 ? <p className="mt-3 text-sm text-slate-600">Odoo answered, and has no module installed yet.</p> : null}
        {installed?.length ? (
          <div className="mt-3 overflow-x-auto">
            <DataTable columns={columns} rows={installed} rowKey={(m) => m.name} caption="Installed modules" />
          </div>
        ) : null}
      </section>
    </div>
  );
}
