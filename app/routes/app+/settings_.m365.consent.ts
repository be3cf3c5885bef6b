import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { finishM365Consent } from "~/lake/m365/connection.server";

/**
 * Where Microsoft's admin-consent page sends the admin back
 * (`?admin_consent=True&tenant=…&state=…`, or `?error=…&error_description=…`).
 * Only the admin who pressed Connect, in the same workspace, can complete it;
 * the outcome is shown on the settings page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  const query = new URL(request.url).searchParams;
  const result = await finishM365Consent(viewer.tenant.id, { sub: viewer.sub, email: viewer.email }, query);
  const back = new URLSearchParams({ m365: result.outcome });
  if (result.outcome === "declined") back.set("error", result.error);
  return redirect(`/app/settings?${back.toString()}#m365`);
}
