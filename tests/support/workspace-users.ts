import { appRequest } from "./app-requests";

/**
 * Signed-in members of a workspace for in-process page tests: a user row,
 * its membership with the given roles, and a session cookie (sign-in itself
 * is tested in tests/identity). Import after `startStandIns`.
 */
export async function memberCookie(key: string, roles: string[], tenantId: string): Promise<{ cookie: string; sub: string; email: string }> {
  const [{ createSession }, { platformDb }] = await Promise.all([import("~/auth/session.server"), import("~/db.server")]);
  const sub = `${key}-sub`;
  const email = `${key}@example.test`;
  const user = await platformDb.user.upsert({ where: { sub }, create: { sub, email }, update: {} });
  await platformDb.tenantUser.upsert({
    where: { tenantId_userId: { tenantId, userId: user.id } },
    create: { tenantId, userId: user.id, roles },
    update: { roles },
  });
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
