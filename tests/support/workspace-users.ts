import { appRequest, sessionIdHash } from "./app-requests";
import { startStandIns } from "./platform";

/**
 * Signed-in members of a workspace for in-process page tests: a user row,
 * its membership with the given roles, and a session cookie (sign-in itself
 * is tested in tests/identity). Without a tenant, a session of platform
 * staff, who belong to no workspace. Import after `startStandIns`.
 */
export async function memberCookie(
  key: string,
  roles: string[],
  tenantId: string | null,
  email = `${key}@example.test`,
): Promise<{ cookie: string; sub: string; email: string }> {
  const [{ createSession }, { platformDb }] = await Promise.all([import("~/auth/session.server"), import("~/db.server")]);
  const sub = `${key}-sub`;
  const user = await platformDb.user.upsert({ where: { sub }, create: { sub, email }, update: {} });
  if (tenantId) {
    await platformDb.tenantUser.upsert({
      where: { tenantId_userId: { tenantId, userId: user.id } },
      create: { tenantId, userId: user.id, roles },
      update: { roles },
    });
  }
  const { setCookie } = await createSession(
    { userId: user.id, tenantId, sub, email, roles, idToken: null, refreshToken: null, tokensExpireAt: null },
    appRequest("/auth/callback"),
  );
  return { cookie: setCookie.split(";")[0]!, sub, email };
}

export async function activeTenant(slug: string, name: string) {
  const { platformDb } = await import("~/db.server");
  return platformDb.tenant.create({ data: { slug, name, status: "active" } });
}

/** An active tenant whose first-login provisioning has finished, so its members land in the workspace, not on the setup screen. */
export async function readyTenant(slug: string, name: string) {
  const { platformDb } = await import("~/db.server");
  return platformDb.tenant.create({
    data: { slug, name, status: "active", onboardingStatus: { create: { status: "ready", phase: "ready" } } },
  });
}

/** The stand-ins with the dev IdP's demo tenants, acme and globex, ready for their members' sign-in. */
export async function startDemoTenants() {
  const standIns = await startStandIns();
  return { standIns, acme: await readyTenant("acme", "Acme"), globex: await readyTenant("globex", "Globex") };
}

/** The stored session behind a session id a sign-in returned (null once it ended). */
export async function sessionRow(sessionId: string) {
  const { platformDb } = await import("~/db.server");
  return platformDb.session.findUnique({ where: { idHash: sessionIdHash(sessionId) } });
}

/** A workspace's Odoo connection as provisioning writes it (through the platform client; the app role cannot), with a placeholder secret. */
export async function storedOdooConnection(tenantId: string, baseUrl: string) {
  const { platformDb } = await import("~/db.server");
  return platformDb.odooConnection.create({
    data: { tenantId, baseUrl, database: "acme", mode: "company_per_tenant", login: "svc", secretCipher: new Uint8Array([1]), secretKeyId: "k" },
  });
}
