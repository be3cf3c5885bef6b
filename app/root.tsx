import "./zod-browser";
import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import { type ReactNode } from "react";
import { devBypassEnabled, getViewer } from "./auth/guards.server";
import { AppHeader } from "./components/app-header";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { useNonce } from "./components/nonce";
import { type HeaderViewer } from "./components/user-menu";
import stylesheet from "./tailwind.css";
import { tenantChoices } from "./tenants/admin.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Nexius Leads" }, { name: "description", content: "Sales intelligence for B2B teams that run Odoo." }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getViewer(request).catch(() => null);
  const header: HeaderViewer = viewer
    ? {
        email: viewer.email,
        roles: viewer.roles,
        tenant: viewer.tenant ? { name: viewer.tenant.name, slug: viewer.tenant.slug } : null,
        ...(devBypassEnabled() ? { devTenants: await tenantChoices() } : {}),
      }
    : null;
  return { viewer: header };
}

function useHeaderViewer(): HeaderViewer {
  return useRouteLoaderData<typeof loader>("root")?.viewer ?? null;
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-full flex-col">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const viewer = useHeaderViewer();
  return (
    <>
      <AppHeader viewer={viewer} />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  const viewer = useHeaderViewer();
  return (
    <>
      <AppHeader viewer={viewer} />
      <GeneralErrorBoundary />
    </>
  );
}
