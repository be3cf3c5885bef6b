import { Form } from "@remix-run/react";

/** Development only: switch the workspace without signing in again (the server ignores the choice unless ALLOW_DEV_BYPASS is set). */
export function DevTenantSelector({ tenants, current }: { tenants: Array<{ slug: string; name: string }>; current: string | null }) {
  return (
    <Form method="post" action="/auth/dev-tenant" reloadDocument className="flex items-center gap-1 text-xs" data-testid="dev-tenant-selector">
      <label className="flex items-center gap-1">
        <span className="font-semibold uppercase tracking-wide text-amber-700">Dev tenant</span>
        <select name="tenant" defaultValue={current ?? ""} className="rounded border border-amber-300 bg-amber-50 px-1.5 py-1">
          <option value="">From my sign-in</option>
          {tenants.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded border border-amber-300 px-2 py-1 font-medium text-amber-800 hover:bg-amber-50">
        Switch
      </button>
    </Form>
  );
}
