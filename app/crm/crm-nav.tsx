import { NavLink } from "@remix-run/react";

/** The sales dashboards, side by side under the workspace's Sales link. */
export const CRM_PAGES = [
  { to: "/app/pipeline", label: "Pipeline" },
  { to: "/app/opportunities", label: "Opportunities" },
  { to: "/app/activities", label: "Activities" },
  { to: "/app/performance", label: "Performance" },
  { to: "/app/lead-outcomes", label: "Lead engine outcome" },
] as const;

function tabClass({ isActive }: { isActive: boolean }) {
  return `whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
    isActive ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
  }`;
}

export function CrmNav() {
  return (
    <nav aria-label="Sales dashboards" className="-mt-2 mb-6 flex overflow-x-auto border-b border-slate-200">
      {CRM_PAGES.map((page) => (
        <NavLink key={page.to} to={page.to} className={tabClass} prefetch="intent">
          {page.label}
        </NavLink>
      ))}
    </nav>
  );
}
