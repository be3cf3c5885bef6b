import { expect } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "./app-requests";
import { startStandIns, type StandIns } from "./platform";

/** acme's workspace admin as the IdP names them. */
export const ACME_ADMIN = { sub: "acme-admin-sub", email: "admin@acme.test", email_verified: true, tenant_id: "acme", roles: ["admin"] };

/**
 * The stand-ins with two tenants for the /api tests: acme provisioned for
 * real (company mode, so it has an Odoo integration user to rotate and
 * verify) and globex, active but never provisioned.
 */
export async function startApiTenants(): Promise<{ standIns: StandIns; acme: Tenant; globex: Tenant }> {
  const standIns = await startStandIns();
  const [{ platformDb }, { resolveIdentity }, { runProvisioning }] = await Promise.all([
    import("~/db.server"),
    import("~/auth/identity.server"),
    import("~/tenants/provisioning.server"),
  ]);
  const acme = (await resolveIdentity(ACME_ADMIN)).tenant!;
  const provisioned = await runProvisioning(acme.id, { sub: ACME_ADMIN.sub, email: ACME_ADMIN.email });
  expect(provisioned.status).toBe("ready");
  const globex = await platformDb.tenant.create({ data: { slug: "globex", name: "Globex", status: "active" } });
  return { standIns, acme, globex };
}

type Handler = (args: never) => unknown;

/** Each /api route the tests call: its method, its path for the given id, and its handler (imported when first called). */
const API_ROUTES = {
  whoami: ["GET", () => "/api/whoami", async () => (await import("~/routes/api+/whoami")).loader],
  info: ["GET", () => "/api/info", async () => (await import("~/routes/api+/info")).loader],
  tenant: ["GET", (id?: string) => `/api/tenants/${id}`, async () => (await import("~/routes/api+/tenants.$id")).loader],
  rotate: [
    "POST",
    (id?: string) => `/api/tenants/${id}/odoo/api-key/rotate`,
    async () => (await import("~/routes/api+/tenants.$id.odoo.api-key.rotate")).action,
  ],
  firstLogin: ["POST", () => "/api/onboarding/first_login", async () => (await import("~/routes/api+/onboarding.first_login")).action],
  status: ["GET", () => "/api/onboarding/status", async () => (await import("~/routes/api+/onboarding.status")).loader],
  verify: ["POST", () => "/api/onboarding/verify_odoo", async () => (await import("~/routes/api+/onboarding.verify_odoo")).action],
  verifyGet: ["GET", () => "/api/onboarding/verify_odoo", async () => (await import("~/routes/api+/onboarding.verify_odoo")).loader],
} as const satisfies Record<string, readonly ["GET" | "POST", (id?: string) => string, () => Promise<Handler>]>;

/** Calls an /api route in-process with a bearer token, a raw Authorization header or a session cookie, and reads its JSON answer. */
export async function callApi(
  route: keyof typeof API_ROUTES,
  options: { token?: string; authorization?: string; cookie?: string; params?: Record<string, string> } = {},
) {
  const [method, path, handler] = API_ROUTES[route];
  const headers: Record<string, string> = options.authorization ? { authorization: options.authorization } : {};
  const response = await invoke(
    await handler(),
    appRequest(path(options.params?.id), { method, token: options.token, cookie: options.cookie, headers }),
    options.params,
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
}

/** Who /api/whoami says a session cookie (or none) belongs to. */
export const whoami = (cookie: string | undefined) => callApi("whoami", { cookie });
