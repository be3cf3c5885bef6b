import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoRegistry } from "../../app/dev/demo-registry.server";
import { startZeroBounceSimulator } from "../sims/vendors/zerobounce-sim";

/**
 * A ZeroBounce API error marks the emails unknown and the next run retries
 * them. A failed call leaves its addresses unknown with the api_error
 * mark, and the next run takes those companies again even though they were
 * enriched recently; a mailbox ZeroBounce itself calls unknown is not retried.
 */
let sim: Awaited<ReturnType<typeof startZeroBounceSimulator>>;
let app: {
  db: typeof import("~/db.server");
  icp: typeof import("~/icp/icp.server");
  candidates: typeof import("~/icp/candidates.server");
  runs: typeof import("~/runs/start-run.server");
  verify: typeof import("~/runs/verify-emails.server");
};

beforeAll(async () => {
  await ensureDemoRegistry({ connectionString: process.env.DATABASE_URL!, rows: 80, seed: 11 });
  sim = await startZeroBounceSimulator({ apiKey: "the-right-key" });
  // A key ZeroBounce refuses: every batch comes back as the documented body error.
  Object.assign(process.env, {
    ZEROBOUNCE_BASE_URL: `${sim.url}/v2`,
    ZEROBOUNCE_API_KEY: "a-revoked-key",
    SECRET_KEYS: process.env.SECRET_KEYS ?? `test:${randomBytes(32).toString("base64")}`,
    CRAWLER_OFFLINE: "true",
  });
  app = {
    db: await import("~/db.server"),
    icp: await import("~/icp/icp.server"),
    candidates: await import("~/icp/candidates.server"),
    runs: await import("~/runs/start-run.server"),
    verify: await import("~/runs/verify-emails.server"),
  };
}, 120_000);

afterAll(async () => {
  await sim?.close();
});

async function newTenant(slug: string) {
  const tenant = await app.db.platformDb.tenant.create({ data: { slug, name: slug, status: "active" } });
  await app.icp.saveIcpRules(tenant.id, { sub: "test", email: null }, { dailyCap: 3 });
  await app.candidates.refreshCandidates(tenant.id, { reason: "test", floor: 0 });
  const candidates = await app.db.db.$withTenant(tenant.id, (tx) => tx.$queryRaw<Array<{ uen: string }>>`SELECT uen FROM icp_candidate_companies ORDER BY uen`);
  expect(candidates.length).toBeGreaterThan(5);
  return { tenantId: tenant.id, uens: candidates.map((c) => c.uen) };
}

describe("verification retried next run", () => {
  it("marks the addresses of a failed ZeroBounce call unknown with api_error, and raises the quota alert", async () => {
    const { tenantId, uens } = await newTenant("zb-failed");
    const uen = uens[0]!;
    const run = await app.db.db.$withTenant(tenantId, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-11-23"), targetCount: 1 } });
      await tx.runCompany.create({ data: { runId: run.id, uen, status: "awaiting_verification" } });
      await tx.leadEmail.create({ data: { uen, email: "sales@example-company.sg", source: "website" } });
      return run;
    });
    expect(await app.verify.verifyPendingEmails(tenantId, run.id)).toEqual([uen]);
    const email = await app.db.db.$withTenant(tenantId, (tx) => tx.leadEmail.findFirstOrThrow({ where: { uen } }));
    expect(email).toMatchObject({ verificationStatus: "unknown", subStatus: app.verify.VERIFICATION_API_ERROR });
    const alerts = await app.db.db.$withTenant(tenantId, (tx) => tx.alert.findMany({ where: { runId: run.id } }));
    expect(alerts.map((a) => [a.kind, a.details])).toEqual([["vendor_quota", { vendor: "zerobounce" }]]);
  });

  it("takes companies whose verification failed into the next run, even when enriched recently", async () => {
    const { tenantId, uens } = await newTenant("zb-retry");
    const failed = uens.at(-1)!;
    const mailboxUnknown = uens.at(-2)!;
    await app.db.db.$withTenant(tenantId, async (tx) => {
      await tx.leadFeature.createMany({ data: uens.map((uen) => ({ uen, enrichedAt: new Date(), updatedAt: new Date() })) });
      await tx.leadEmail.create({
        data: { uen: failed, email: "info@failed.sg", source: "website", verificationStatus: "unknown", subStatus: app.verify.VERIFICATION_API_ERROR },
      });
      await tx.leadEmail.create({
        data: { uen: mailboxUnknown, email: "info@greylisted.sg", source: "website", verificationStatus: "unknown", subStatus: "greylisted" },
      });
    });
    const { runId } = await app.runs.startRun(tenantId, { kind: "nightly", actor: null });
    await app.runs.launchRun(tenantId, runId);
    const targets = await app.db.db.$withTenant(tenantId, (tx) => tx.runCompany.findMany({ where: { runId }, select: { uen: true } }));
    expect(targets.map((t) => t.uen)).toEqual([failed]);
  });
});
