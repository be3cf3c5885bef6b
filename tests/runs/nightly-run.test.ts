import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { waitFor } from "../support/wait-for";
import { startRunWorld } from "./run-world";

/**
 * A whole run over the dev world: every stage for every company, the
 * acceptance figures (domain, about text and email rates; no bucket over
 * 70 %), and a repeat run that reuses the rationale and verification caches.
 */
let world: DevWorld;
let app: {
  db: typeof import("~/db.server");
  runs: typeof import("~/runs/start-run.server");
  events: typeof import("~/runs/run-events.server");
  worker: Awaited<ReturnType<typeof import("~/jobs/worker.server").startWorker>>;
};
let tenantId: string;

beforeAll(async () => {
  world = await startRunWorld({ rows: 80 });
  const db = await import("~/db.server");
  const { saveIcpRules } = await import("~/icp/icp.server");
  const { startWorker } = await import("~/jobs/worker.server");
  const tenant = await db.platformDb.tenant.create({ data: { slug: "run-co", name: "Run Co", status: "active" } });
  tenantId = tenant.id;
  await db.platformDb.tenantSettings.create({ data: { tenantId, odooPushMode: "on_approval" } });
  await saveIcpRules(tenantId, { sub: "test", email: null }, { dailyCap: 30, scoreThresholds: { high: 85, medium: 65 } });
  app = {
    db,
    runs: await import("~/runs/start-run.server"),
    events: await import("~/runs/run-events.server"),
    worker: await startWorker({ concurrency: 16, pollInterval: 50, crontabFile: null }),
  };
}, 120_000);

afterAll(async () => {
  await app?.worker.stop();
  await world?.close();
});

async function runToCompletion(options: Parameters<typeof app.runs.startRun>[1]["options"] = {}) {
  const { runId } = await app.runs.startRun(tenantId, { kind: "manual", actor: { sub: "test", email: "ops@test" }, options });
  await waitFor(async () => ["succeeded", "failed"].includes((await app.events.runProgress(tenantId, runId))?.status ?? ""), {
    timeoutMs: 120_000,
    intervalMs: 200,
    what: "the run to finish",
  });
  const run = await app.db.db.$withTenant(tenantId, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: runId } } }));
  return { runId, run, metrics: run.metrics as Record<string, number> & { score_distribution: Record<string, number> } };
}

describe("a nightly run over the dev world", () => {
  let first: Awaited<ReturnType<typeof runToCompletion>>;

  beforeAll(async () => {
    first = await runToCompletion({ limit: 30 });
  }, 150_000);

  it("settles every company and meets the acceptance figures", () => {
    expect(first.run.status).toBe("succeeded");
    expect(first.run.targetCount).toBe(30);
    expect(first.metrics.companies).toBe(30);
    expect(first.metrics.domain_rate).toBeGreaterThanOrEqual(0.7);
    expect(first.metrics.about_rate).toBeGreaterThanOrEqual(0.6);
    expect(first.metrics.email_rate).toBeGreaterThanOrEqual(0.4);
    expect(first.metrics.max_bucket_share).toBeLessThanOrEqual(0.7);
    expect(first.metrics.thin_contact_rate).toBeGreaterThanOrEqual(0.25);
  });

  it("logs every stage of every company and stores the merged content's hash with provenance", async () => {
    const rows = await app.db.db.$withTenant(tenantId, async (tx) => ({
      events: await tx.runEventLog.groupBy({ by: ["stage"], where: { runId: first.runId, uen: { not: null } }, _count: { _all: true } }),
      features: await tx.leadFeature.findMany({ where: { runId: first.runId } }),
      scores: await tx.leadScore.count({ where: { runId: first.runId } }),
    }));
    const perStage = Object.fromEntries(rows.events.map((e) => [e.stage, e._count._all]));
    for (const stage of ["domain", "merge", "extract", "contacts", "emails"]) expect(perStage[stage], stage).toBe(30);
    expect(perStage.score).toBe(30);
    expect(rows.features).toHaveLength(30);
    for (const f of rows.features.filter((f) => f.crawlStatus === "ok")) {
      expect(f.contentSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(f.provenance).toHaveProperty("domain");
    }
    expect(rows.scores).toBeGreaterThan(0);
  });

  it("logs each Apify actor run as a contact_discovery vendor_call event", async () => {
    const { calls, usage } = await app.db.db.$withTenant(tenantId, async (tx) => ({
      calls: await tx.runEventLog.findMany({ where: { runId: first.runId, stage: "contact_discovery" } }),
      usage: await tx.runVendorUsage.findFirst({ where: { runId: first.runId, vendor: "apify_linkedin" } }),
    }));
    expect(calls.length).toBeGreaterThanOrEqual(30);
    // A run shared by several companies of the batch is logged for each of them, and paid for (counted) by the one that started it.
    const started = calls.filter((c) => !(c.args as { shared?: boolean } | null)?.shared);
    expect(started.length).toBeLessThanOrEqual(usage?.calls ?? 0);
    for (const call of calls) {
      expect(call).toMatchObject({ event: "vendor_call", tool: "apify_linkedin" });
      expect(["ok", "error"]).toContain(call.status);
      expect(call.durationMs).not.toBeNull();
    }
  });

  it("never guesses an email: every address was published on the site or by the contact source", async () => {
    const { emails, pages } = await app.db.db.$withTenant(tenantId, async (tx) => ({
      emails: await tx.leadEmail.findMany({ select: { uen: true, email: true, source: true } }),
      pages: await tx.crawlPage.findMany({ select: { uen: true, text: true } }),
    }));
    expect(emails.length).toBeGreaterThan(0);
    for (const e of emails.filter((e) => e.source === "website")) {
      const text = pages
        .filter((p) => p.uen === e.uen)
        .map((p) => p.text ?? "")
        .join("\n")
        .toLowerCase();
      expect(text, e.email).toContain(e.email);
    }
    const published = new Set(world.world.companies().flatMap((c) => world.world.staff(c.uen).map((s) => s.email?.toLowerCase())));
    for (const e of emails.filter((e) => e.source === "apify_linkedin")) expect(published.has(e.email), e.email).toBe(true);
  });

  it("reuses rationales and verifications when the same companies run again", async () => {
    const inconclusive = await app.db.db.$withTenant(tenantId, (tx) => tx.leadEmail.count({ where: { verificationStatus: "unknown" } }));
    const uens = (await app.db.db.$withTenant(tenantId, (tx) => tx.runCompany.findMany({ where: { runId: first.runId }, select: { uen: true } }))).map(
      (r) => r.uen,
    );
    const repeat = await runToCompletion({ uens });
    expect(repeat.run.status).toBe("succeeded");
    expect(repeat.metrics.rationale_cache_hit_rate).toBeGreaterThan(0.8);
    const zerobounce = await app.db.db.$withTenant(tenantId, (tx) =>
      tx.runVendorUsage.findUnique({ where: { tenantId_runId_vendor: { tenantId, runId: repeat.runId, vendor: "zerobounce" } } }),
    );
    // Only addresses whose first answer was inconclusive are asked again; the rest come from the cache.
    expect(zerobounce?.units ?? 0).toBe(inconclusive);
    expect(zerobounce?.cacheHits).toBeGreaterThan(0);
    expect(repeat.metrics.score_distribution).toEqual(first.metrics.score_distribution);
  }, 150_000);

  it("streams the run's events and progress through the tenant-scoped readers", async () => {
    const events = await app.events.eventsAfter(tenantId, first.runId, 0n);
    expect(events.map((e) => e.stage)).toEqual(expect.arrayContaining(["run", "domain", "crawl", "merge", "extract", "score"]));
    const progress = await app.events.runProgress(tenantId, first.runId);
    expect(progress).toMatchObject({ status: "succeeded", target: 30, settled: 30 });
    // Another tenant sees nothing of it.
    const other = await app.db.platformDb.tenant.create({ data: { slug: "other-co", name: "Other", status: "active" } });
    expect(await app.events.runProgress(other.id, first.runId)).toBeNull();
    expect(await app.events.eventsAfter(other.id, first.runId, 0n)).toEqual([]);
  });
});
