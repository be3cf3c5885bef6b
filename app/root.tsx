import "./zod-browser";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { AppHeader } from "./components/app-header";
import { useNonce } from "./components/nonce";
import { devBypassEnabled, getViewer } from "./auth/guards.server";
import { tenantChoices } from "./tenants/admin.server";
import type { HeaderViewer } from "./components/user-menu";
import stylesheet from "./tailwind.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Nexius Leads" },
  { name: "description", content: "Sales intelligence for B2B teams that run Odoo." },
];

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
  const error = useRouteError();
  const viewer = useHeaderViewer();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title =
    status === 404
      ? "Page not found"
      : status === 403
        ? "You don't have access to this page"
        : status === 423
          ? "This workspace is paused"
          : "Something went wrong";
  const detail =
    status === 404
      ? "The page you asked for does not exist or has moved."
      : status === 403
        ? "Your role does not allow this. Ask a workspace admin if you need access."
        : status === 423
          ? "The platform operator has paused this workspace, so its pages and nightly runs are on hold. Nothing has been deleted; contact your operator to resume it."
          : "We could not complete your request. It has been logged; please try again in a moment.";
  return (
    <>
      <AppHeader viewer={viewer} />
      <main className="mx-auto flex w-full max-w-2xl flex-1 flex-col items-start justify-center gap-4 px-6 py-16">
        <p className="text-sm font-semibold text-brand-600">Error {status}</p>
        <h1 className="text-3xl font-bold tracking-tight">{title}</h1>
        <p className="text-slate-600">{detail}</p>
        <a href="/" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Back to the start page
        </a>
      </main>
    </>
  );
}
