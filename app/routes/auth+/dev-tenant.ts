import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { devBypassEnabled, requireViewer } from "~/auth/guards.server";
import { isTenantSlug } from "~/tenants/slug";

/**
 * The development tenant selector: remembers the chosen workspace in the
 * dev_tenant cookie that the guards honour under ALLOW_DEV_BYPASS. Without
 * the bypass this route does not exist (404), so production has no switcher.
 */
const Choice = z.object({ tenant: z.string().refine((v) => v === "" || isTenantSlug(v), "not a tenant slug") });

export async function action({ request }: ActionFunctionArgs) {
  if (!devBypassEnabled()) throw new Response("Not found", { status: 404 });
  await requireViewer(request);
  const choice = Choice.safeParse(Object.fromEntries(await request.formData()));
  if (!choice.success) throw new Response("Choose a tenant", { status: 400 });
  const cookie = choice.data.tenant
    ? `dev_tenant=${choice.data.tenant}; Path=/; HttpOnly; SameSite=Lax`
    : "dev_tenant=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  return redirect("/app", { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
