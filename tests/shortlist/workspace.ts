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

  /** A one-company re-enrich run of today that scored the company anew, closed by the real finalizer (which ranks the day's shortlist again). */
  async function finishReEnrich(tenantId: string, uen: string, scored: { score: number; bucket: "High" | "Medium" | "Low"; verifiedContacts: number }) {
    const run = await db.$withTenant(tenantId, async (tx) => {
      const created = await tx.run.create({
        data: { tenantId, kind: "re_enrich", status: "running", runDate: new Date(`${today}T00:00:00Z`), options: { uens: [uen] } },
      });
      await tx.leadScore.create({
        data: { runId: created.id, uen, ...scored, breakdown: [], rationale: "Re-enriched: now a strong fit.", rationaleSource: "template", contactWeight: 16 },
      });
      return created;
    });
    const { finalizeRun } = await import("~/runs/finalize-run.server");
    await finalizeRun(tenantId, run.id);
  }

  return { standIns, db, platformDb, today, tenant, member, finishReEnrich, seedFinishedRun: fixtures.seedFinishedRun };
}

export function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
