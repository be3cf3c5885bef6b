import { type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requirePlatformUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";

/** The control plane: platform roles only; tenant users get 403. Actions check roles again themselves. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request);
  return { roles: viewer.roles };
}

export default function AdminLayout() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
