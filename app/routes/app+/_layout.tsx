import { type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLocation, useNavigation } from "@remix-run/react";
import { requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { opensAnotherPage, PageSkeleton } from "~/components/ui/page-skeleton";

/** Every workspace page needs a signed-in member of a usable workspace; the setup screen also accepts one being set up. */
export async function loader({ request }: LoaderFunctionArgs) {
  const setup = new URL(request.url).pathname === "/app/setup";
  const viewer = await requireTenantUser(request, { allowSetup: setup });
  return { tenant: viewer.tenant, roles: viewer.roles };
}

export default function WorkspaceLayout() {
  const navigation = useNavigation();
  const location = useLocation();
  return opensAnotherPage(navigation, location.pathname) ? <PageSkeleton /> : <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
