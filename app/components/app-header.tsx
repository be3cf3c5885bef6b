import { NavLink, useLocation } from "@remix-run/react";
import { ANALYTICS_VIEW_ROLES, canOperate, canOperateTenants, controlPlaneHome, isPlatformStaff, isTenantAdmin } from "~/auth/roles";
import { CRM_PAGES } from "~/crm/crm-nav";
import { DevTenantSelector } from "./dev-tenant-selector";
import { UserMenu, type HeaderViewer } from "./user-menu";

const workspaceLinks = [
  { to: "/app", label: "Dashboard", end: true },
  { to: "/app/chat", label: "Chat", end: false },
  { to: "/app/shortlist", label: "Shortlist", end: false },
  { to: "/app/runs", label: "Runs", end: false },
  { to: "/app/icp", label: "ICP", end: false },
  // Sales stays lit on every sales dashboard, not only the Pipeline it opens.
  { to: "/app/pipeline", label: "Sales", end: false, section: CRM_PAGES.map((page) => page.to) },
  { to: "/app/data", label: "Data", end: false },
  // Settings answers a viewer with 403, so a viewer is not offered the link.
  { to: "/app/settings", label: "Settings", end: false, operatorsOnly: true },
  // The tenant portal is the workspace admins' alone (seed 004 §6).
  { to: "/app/portal", label: "Portal", end: false, adminsOnly: true },
] satisfies Array<{ to: string; label: string; end: boolean; operatorsOnly?: boolean; adminsOnly?: boolean; section?: string[] }>;

const within = (pathname: string, page: string) => pathname === page || pathname.startsWith(`${page}/`);

function navClass({ isActive }: { isActive: boolean }) {
  return `rounded-md px-3 py-2 text-sm font-medium ${isActive ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`;
}

export function AppHeader({ viewer }: { viewer: HeaderViewer }) {
  // Finance's part of the control plane is billing; the header takes it straight there.
  const controlPlane = viewer && isPlatformStaff(viewer.roles) ? controlPlaneHome(viewer.roles) : null;
  const { pathname } = useLocation();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <a href="/" className="flex items-center gap-2 font-semibold text-slate-900">
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded-md bg-brand-600 text-xs font-bold text-white">
            NX
          </span>
          Nexius Leads
        </a>
        {viewer?.tenant ? (
          <nav aria-label="Workspace" className="flex flex-wrap items-center gap-1">
            {workspaceLinks
              .filter((link) => (!link.operatorsOnly || canOperate(viewer.roles)) && (!link.adminsOnly || isTenantAdmin(viewer.roles)))
              .map((link) => (
                <NavLink
                  key={link.to}
                  to={link.to}
                  end={link.end}
                  className={({ isActive }) => navClass({ isActive: isActive || Boolean(link.section?.some((page) => within(pathname, page))) })}
                >
                  {link.label}
                </NavLink>
              ))}
          </nav>
        ) : null}
        <div className="ml-auto flex items-center gap-3">
          {controlPlane ? (
            <nav aria-label="Platform" className="flex items-center gap-1">
              <NavLink to={controlPlane} className={navClass}>
                Admin
              </NavLink>
              {canOperateTenants(viewer!.roles) ? (
                <NavLink to="/admin/alerts" className={navClass}>
                  Alerts
                </NavLink>
              ) : null}
              {canOperateTenants(viewer!.roles) ? (
                <NavLink to="/admin/integrations/sso" className={navClass}>
                  SSO
                </NavLink>
              ) : null}
              {ANALYTICS_VIEW_ROLES.some((role) => viewer!.roles.includes(role)) ? (
                <NavLink to="/admin/integrations/analytics" className={navClass}>
                  Analytics
                </NavLink>
              ) : null}
              {canOperateTenants(viewer!.roles) ? (
                <NavLink to="/admin/catalog" className={navClass}>
                  Catalog
                </NavLink>
              ) : null}
              {canOperateTenants(viewer!.roles) ? (
                <NavLink to="/admin/infra/templates" className={({ isActive }) => navClass({ isActive: isActive || within(pathname, "/admin/infra") })}>
                  Infra
                </NavLink>
              ) : null}
              {canOperateTenants(viewer!.roles) ? (
                <NavLink to="/admin/support-requests" className={navClass}>
                  Requests
                </NavLink>
              ) : null}
              {viewer!.roles.includes("platform_owner") ? (
                <NavLink to="/admin/integrations/webhooks" className={navClass}>
                  Webhooks
                </NavLink>
              ) : null}
            </nav>
          ) : null}
          {viewer?.devTenants ? <DevTenantSelector tenants={viewer.devTenants} current={viewer.tenant?.slug ?? null} /> : null}
          {viewer ? (
            <NavLink to="/support" className={navClass}>
              Support
            </NavLink>
          ) : null}
          <UserMenu viewer={viewer} />
        </div>
      </div>
    </header>
  );
}
