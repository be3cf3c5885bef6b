import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { type ApifySimRun } from "../sims/vendors/apify-sim";
import { waitFor } from "../support/wait-for";
import { startRunWorld } from "./run-world";

/**
 * The companies of one run share the company actor's lookups: a run over
 * four companies whose websites name nobody, with batches of two, starts two
 * company-actor runs at the Apify simulator instead of four, and every
 * company is looked up. Counted at the simulator, not by the platform.
 */
let world: DevWorld;
let app: {
  runs: typeof import("~/runs/start-run.server");
  events: typeof import("~/runs/run-events.server");
  worker: Awaited<ReturnType<typeof import("~/jobs/worker.server").startWorker>>;
};
let tenantId: string;

beforeAll(async () => {
  world = await startRunWorld({ rows: 80 });
  // Batches of two; the long window only keeps a loaded machine from splitting a pair.
  Object.assign(process.env, { APIFY_BATCH_WINDOW_MS: "30000", APIFY_BATCH_MAX: "2" });
  const db = await import("~/db.server");
  const { saveIcpRules } = await import("~/icp/icp.server");
  const { startWorker } = await import("~/jobs/worker.server");
  const tenant = await db.platformDb.tenant.create({ data: { slug: "batch-co", name: "Batch Co", status: "active" } });
  tenantId = tenant.id;
  await db.platformDb.tenantSettings.create({ data: { tenantId, odooPushMode: "on_approval" } });
  await saveIcpRules(tenantId, { sub: "test", email: null }, { dailyCap: 80 });
  app = {
    runs: await import("~/runs/start-run.server"),
    events: await import("~/runs/run-events.server"),
    worker: await startWorker({ concurrency: 4, pollInterval: 50, crontabFile: null }),
  };
}, 120_000);

afterAll(async () => {
  await app?.worker.stop();
  await world?.close();
});

describe("Apify runs shared by the companies of one run", () => {
  it("looks four companies up in two company-actor runs", async () => {
    const db = await import("~/db.server");
    const rows = await db.platformDb.$queryRaw<Array<{ uen: string }>>`SELECT uen FROM staging_acra_companies ORDER BY uen`;
    const registry = new Set(rows.map((r) => r.uen));
    // On LinkedIn, and no team page: the website cannot stand in for the search.
    const companies = world.world
      .companies()
      .filter((c) => registry.has(c.uen) && c.linkedin && c.site && ![...c.site.pages().values()].some((p) => p.kind === "team"))
      .slice(0, 4);
    expect(companies).toHaveLength(4);
    const simRuns = (world.vendors.apify as unknown as { runs: ApifySimRun[] }).runs;
    const before = simRuns.length;
    const { runId } = await app.runs.startRun(tenantId, {
      kind: "manual",
      actor: { sub: "test", email: "ops@test" },
      options: { uens: companies.map((c) => c.uen), includeRecent: true },
    });
    await waitFor(async () => ["succeeded", "failed"].includes((await app.events.runProgress(tenantId, runId))?.status ?? ""), {
      timeoutMs: 120_000,
      intervalMs: 100,
      what: "the run to finish",
    });
    const lookups = simRuns.slice(before).filter((r) => r.actorId === "harvestapi~linkedin-company");
    expect(lookups.map((r) => (r.input as { searches: string[] }).searches.length)).toEqual([2, 2]);
    const searched = lookups.flatMap((r) => (r.input as { searches: string[] }).searches).sort();
    expect(searched).toEqual(companies.map((c) => c.name).sort());
  }, 150_000);
});
