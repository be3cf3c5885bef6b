import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/ui/page";
import { requirePortalAdmin } from "~/portal/portal-access.server";
import { PortalErrorBoundary } from "~/portal/portal-error-boundary";

/** The tenant portal: the workspace's admin looks after their subscription, Odoo modules, sign-in and support here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePortalAdmin(request);
  return { workspace: { name: viewer.tenant.name, slug: viewer.tenant.slug } };
}

const TABS = [
  { to: "/app/portal", label: "Overview", end: true },
  { to: "/app/portal/billing", label: "Billing", end: false },
  { to: "/app/portal/modules", label: "Modules", end: false },
  { to: "/app/portal/sso", label: "SSO", end: false },
  { to: "/app/portal/support", label: "Support", end: false },
];

export default function Portal() {
  const { workspace } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Tenant portal"
      description={`${workspace.name} (${workspace.slug}): your subscription and invoices, Odoo modules, sign-in and support requests.`}
    >
      <nav aria-label="Portal sections" className="mb-6 flex flex-wrap gap-1 border-b border-slate-200 text-sm">
        {TABS.map((tab) => (
          <NavLink
            key={tab.to}
            to={tab.to}
            end={tab.end}
            className={({ isActive }) =>
              `-mb-px border-b-2 px-3 py-2 ${isActive ? "border-brand-600 font-medium text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`
            }
          >
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Tenant portal · Nexius Leads" }];

export const ErrorBoundary = PortalErrorBoundary;
