import { Form, Link } from "@remix-run/react";

export type HeaderViewer = {
  email: string;
  roles: string[];
  tenant: { name: string; slug: string } | null;
  /** Development only (ALLOW_DEV_BYPASS): the workspaces the tenant selector offers. */
  devTenants?: Array<{ slug: string; name: string }>;
} | null;

/** Who is signed in and where: email, workspace and role, with sign-out (a POST). */
export function UserMenu({ viewer }: { viewer: HeaderViewer }) {
  if (!viewer) {
    return (
      <div className="flex items-center gap-3 text-sm">
        <Link to="/auth/sso" className="font-medium text-brand-700 hover:underline">
          Organisation sign-in
        </Link>
        <Link to="/auth/login" reloadDocument className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <div className="flex items-center gap-3 text-sm">
      <div className="text-right leading-tight">
        <p className="font-medium text-slate-900" data-testid="header-email">
          {viewer.email}
        </p>
        <p className="text-xs text-slate-500" data-testid="header-tenant">
          {viewer.tenant ? viewer.tenant.name : "Platform"}
          {viewer.roles.length ? ` · ${viewer.roles.join(", ")}` : ""}
        </p>
      </div>
      <Form method="post" action="/auth/logout" reloadDocument>
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50">
          Sign out
        </button>
      </Form>
    </div>
  );
}
