import { mintToken, startStandIns, type StandIns } from "../support/platform";
import { appRequest } from "../support/app-requests";

/**
 * Two or three tenants with finished runs and signed-in members, for the
 * shortlist, company-page and export tests. Start it in beforeAll; app
 * modules are imported after the stand-ins set the environment.
 */
export type Member = { cookie: string; token: string; sub: string; email: string };

export async function startWorkspace() {
  const standIns: StandIns = await startStandIns();
  const [{ db, platformDb }, session, fixtures, time] = await Promise.all([
    import("~/db.server"),
    import("~/auth/session.server"),
    import("../support/lead-fixtures"),
    import("~/utils/singapore-time"),
  ]);
  const today = time.singaporeDate(new Date());

  async function tenant(slug: string) {
    return platformDb.tenant.create({ data: { slug, name: slug[0]!.toUpperCase() + slug.slice(1), status: "active" } });
  }

  /** A session cookie and a bearer token for someone with these roles in the tenant. */
  async function member(tenant: { id: string; slug: string }, role: string): Promise<Member> {
    const sub = `${tenant.slug}-${role}-sub`;
    const email = `${role}@${tenant.slug}.test`;
    const user = await platformDb.user.upsert({ where: { sub }, create: { sub, email }, update: {} });
    await platformDb.tenantUser.upsert({
      where: { tenantId_userId: { tenantId: tenant.id, userId: user.id } },
      create: { tenantId: tenant.id, userId: user.id, roles: [role] },
      update: { roles: [role] },
    });
    const { setCookie } = await session.createSession(
      { userId: user.id, tenantId: tenant.id, sub, email, roles: [role], idToken: null, refreshToken: null, tokensExpireAt: null },
      appRequest("/auth/callback")
    );
    const token = await mintToken(standIns.idp, { sub, email, tenant_id: tenant.slug, roles: [role] });
    return { cookie: setCookie.split(";")[0]!, token, sub, email };
  }

  return { standIns, db, platformDb, today, tenant, member, seedFinishedRun: fixtures.seedFinishedRun };
}

export function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
