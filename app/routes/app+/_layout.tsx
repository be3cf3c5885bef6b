import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireTenantUser } from "~/auth/guards.server";

/** Every workspace page needs a signed-in member of a usable workspace; the setup screen also accepts one being set up. */
export async function loader({ request }: LoaderFunctionArgs) {
  const setup = new URL(request.url).pathname === "/app/setup";
  const viewer = await requireTenantUser(request, { allowSetup: setup });
  return { tenant: viewer.tenant, roles: viewer.roles };
}

export default function WorkspaceLayout() {
  return <Outlet />;
}
