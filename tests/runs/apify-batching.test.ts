import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { type ApifySimRun } from "../sims/vendors/apify-sim";
import { waitFor } from "../support/wait-for";
import { startRunTenant, startRunWorld } from "./run-world";

/**
 * The companies of one run share the company actor's lookups: a run over
 * four companies whose websites name nobody, with batches of two, starts two
 * company-actor runs at the Apify simulator instead of four, and every
 * company is looked up. Counted at the simulator, not by the platform.
 */
let world: DevWorld;
let app: Awaited<ReturnType<typeof startRunTenant>>;

beforeAll(async () => {
  world = await startRunWorld({ rows: 80 });
  // Batches of two; the long window only keeps a loaded machine from splitting a pair.
  Object.assign(process.env, { APIFY_BATCH_WINDOW_MS: "30000", APIFY_BATCH_MAX: "2" });
  app = await startRunTenant("batch-co", { dailyCap: 80, concurrency: 4 });
}, 120_000);

afterAll(async () => {
  await app?.worker.stop();
  await world?.close();
});

describe("Apify runs shared by the companies of one run", () => {
  it("looks four companies up in two company-actor runs", async () => {
    const rows = await app.db.platformDb.$queryRaw<Array<{ uen: string }>>`SELECT uen FROM staging_acra_companies ORDER BY uen`;
    const registry = new Set(rows.map((r) => r.uen));
    // On LinkedIn, and no team page: the website cannot stand in for the search.
    const companies = world.world
      .companies()
      .filter((c) => registry.has(c.uen) && c.linkedin && c.site && ![...c.site.pages().values()].some((p) => p.kind === "team"))
      .slice(0, 4);
    expect(companies).toHaveLength(4);
    const simRuns = (world.vendors.apify as unknown as { runs: ApifySimRun[] }).runs;
    const before = simRuns.length;
    const { runId } = await app.runs.startRun(app.tenantId, {
      kind: "manual",
      actor: { sub: "test", email: "ops@test" },
      options: { uens: companies.map((c) => c.uen), includeRecent: true },
    });
    await waitFor(async () => ["succeeded", "failed"].includes((await app.events.runProgress(app.tenantId, runId))?.status ?? ""), {
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
