import { mintToken, startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * Two or three tenants with finished runs and signed-in members, for the
 * shortlist, company-page and export tests. Start it in beforeAll; app
 * modules are imported after the stand-ins set the environment.
 */
export type Member = { cookie: string; token: string; sub: string; email: string };

export async function startWorkspace() {
  const standIns: StandIns = await startStandIns();
  const [{ db, platformDb }, fixtures, time] = await Promise.all([import("~/db.server"), import("../support/lead-fixtures"), import("~/utils/singapore-time")]);
  const today = time.singaporeDate(new Date());

  async function tenant(slug: string) {
    return platformDb.tenant.create({ data: { slug, name: slug[0]!.toUpperCase() + slug.slice(1), status: "active" } });
  }

  /** A session cookie and a bearer token for someone with these roles in the tenant. */
  async function member(tenant: { id: string; slug: string }, role: string): Promise<Member> {
    const { cookie, sub, email } = await memberCookie(`${tenant.slug}-${role}`, [role], tenant.id, `${role}@${tenant.slug}.test`);
    const token = await mintToken(standIns.idp, { sub, email, tenant_id: tenant.slug, roles: [role] });
    return { cookie, token, sub, email };
  }

  return { standIns, db, platformDb, today, tenant, member, seedFinishedRun: fixtures.seedFinishedRun };
}

export function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
