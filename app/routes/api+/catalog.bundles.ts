import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { bundleInput, listBundles, saveBundle } from "~/catalog/bundles.server";
import { apiError } from "~/http.server";
import { formatZodIssues } from "~/utils/zod-issues";

/** GET /api/catalog/bundles: every module bundle with its modules, version and how many tenants are on it. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const items = (await listBundles()).map(({ _count, ...bundle }) => ({ ...bundle, tenants: _count.tenants }));
  return Response.json({ items }, { headers: { "Cache-Control": "no-store" } });
}

/**
 * POST /api/catalog/bundles `{ code, name, description?, type, modules }`
 * (platform owners): creates the bundle (201) or updates the one with this
 * code (200); a change of its modules makes a new version.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST");
  await requirePlatformUser(request, ["platform_owner"]);
  let raw: unknown;
  try {
    raw = JSON.parse(await request.text());
  } catch {
    return apiError(400, "invalid_json", "The body is not JSON");
  }
  const body = bundleInput.safeParse(raw);
  if (!body.success) return apiError(400, "invalid_body", formatZodIssues(body.error, "(body)"));
  const saved = await saveBundle(body.data);
  return Response.json(saved, { status: saved.created ? 201 : 200, headers: { "Cache-Control": "no-store" } });
}
