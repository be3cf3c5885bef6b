import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { waitFor } from "../support/wait-for";
import { startRunTenant, startRunWorld } from "./run-world";

/**
 * What a run asks of a company's website, counted at the fixture web, not by
 * the platform: a homepage domain discovery has just read is not asked for
 * again by the crawl, and two companies of one run whose website is the same
 * (their last enrichment found the same domain) share one crawl of it.
 */
let world: DevWorld;
let app: Awaited<ReturnType<typeof startRunTenant>>;

beforeAll(async () => {
  world = await startRunWorld({ rows: 80 });
  app = await startRunTenant("crawl-share-co", { dailyCap: 80, concurrency: 4 });
}, 120_000);

afterAll(async () => {
  await app?.worker.stop();
  await world?.close();
});

async function registryUens(): Promise<Set<string>> {
  const rows = await app.db.platformDb.$queryRaw<Array<{ uen: string }>>`SELECT uen FROM staging_acra_companies ORDER BY uen`;
  return new Set(rows.map((r) => r.uen));
}

async function runToEnd(uens: string[]): Promise<string> {
  const { runId } = await app.runs.startRun(app.tenantId, {
    kind: "manual",
    actor: { sub: "test", email: "ops@test" },
    options: { uens, includeRecent: true },
  });
  await waitFor(async () => ["succeeded", "failed"].includes((await app.events.runProgress(app.tenantId, runId))?.status ?? ""), {
    timeoutMs: 90_000,
    intervalMs: 100,
    what: "the run to finish",
  });
  return runId;
}

describe("a homepage domain discovery read", () => {
  it("is not asked for again by the crawl", async () => {
    const registry = await registryUens();
    // Plain sites on the domain their name suggests, which discovery finds by reading their homepage.
    const companies = world.world
      .companies()
      .filter((c) => registry.has(c.uen) && c.site?.kind === "rich" && c.site.discoverability === "guessable" && !c.site.redirect)
      .slice(0, 3);
    expect(companies).toHaveLength(3);
    const since = Date.now();
    await runToEnd(companies.map((c) => c.uen));

    const features = await app.db.platformDb.leadFeature.findMany({
      where: { tenantId: app.tenantId, uen: { in: companies.map((c) => c.uen) } },
      select: { uen: true, domain: true, domainSource: true, crawlStatus: true },
    });
    const discovered = features.filter((f) => f.domainSource?.startsWith("crawler:") && f.crawlStatus === "ok");
    expect(discovered.map((f) => f.uen).sort(), "companies whose domain discovery read their homepage").toEqual(companies.map((c) => c.uen).sort());
    for (const f of discovered) {
      const site = companies.find((c) => c.uen === f.uen)!.site!;
      const homepages = world.web.stats.recent.filter((r) => r.at >= since && site.hosts.includes(r.host) && r.path === "/");
      expect(homepages, `homepage requests to ${f.domain}`).toHaveLength(1);
    }
  }, 150_000);
});

describe("a website two companies of a run share", () => {
  it("is crawled once, and both companies get its pages", async () => {
    const registry = await registryUens();
    // Companies no earlier test of this file enriched.
    const enriched = new Set((await app.db.platformDb.leadFeature.findMany({ select: { uen: true } })).map((f) => f.uen));
    const [owner, sibling] = world.world
      .companies()
      .filter((c) => registry.has(c.uen) && !enriched.has(c.uen) && c.site?.kind === "rich" && !c.site.redirect && c.site.robots.kind === "allow_all");
    expect([owner?.site?.kind, sibling?.site?.kind], "two registry companies with a plain, crawlable site").toEqual(["rich", "rich"]);
    const domain = owner!.site!.domain;
    // Their last enrichment found the same website for both (as it does for a group's companies).
    const enrichedAt = new Date("2020-01-01T00:00:00Z");
    await app.db.platformDb.leadFeature.createMany({
      data: [owner!, sibling!].map((c) => ({ tenantId: app.tenantId, uen: c.uen, domain, domainSource: "crawler:high", enrichedAt })),
    });
    const since = Date.now();

    const runId = await runToEnd([owner!.uen, sibling!.uen]);

    const asked = world.web.stats.recent.filter((r) => r.at >= since && owner!.site!.hosts.includes(r.host)).map((r) => `${r.host}${r.path}`);
    expect(asked.length, "pages of the shared site").toBeGreaterThan(2);
    expect(asked).toEqual([...new Set(asked)]);

    const features = await app.db.platformDb.leadFeature.findMany({
      where: { tenantId: app.tenantId, uen: { in: [owner!.uen, sibling!.uen] } },
      select: { uen: true, crawlStatus: true, contentSha256: true },
    });
    expect(features.map((f) => f.crawlStatus)).toEqual(["ok", "ok"]);
    expect(features[0]!.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(features[1]!.contentSha256).toBe(features[0]!.contentSha256);
    const crawls = await app.db.platformDb.runEventLog.findMany({ where: { runId, stage: "crawl" }, select: { uen: true, args: true } });
    expect(crawls.map((c) => (c.args as { shared?: boolean }).shared ?? false).sort()).toEqual([false, true]);
  }, 150_000);
});
