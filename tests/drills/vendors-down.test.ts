import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRunWorld } from "../runs/run-world";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { waitFor } from "../support/wait-for";

/**
 * Fault drill: every vendor and every company website answers with errors
 * (5xx, some 429) for a whole run. The run still finishes, degraded with a
 * reason per vendor; each simulator's own request count shows the clients
 * did not storm it, and the run's vendor usage reports those requests truly.
 */
let world: DevWorld;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  world = await startRunWorld({ rows: 40, faultRate: 1 });
}, 120_000);

afterAll(async () => {
  await stopWorker?.();
  await world?.close();
});

describe("drill: every vendor and website failing", () => {
  it("finishes the run degraded with reasons, with bounded attempts per vendor", async () => {
    const { platformDb, db } = await import("~/db.server");
    const { saveIcpRules } = await import("~/icp/icp.server");
    const { startWorker } = await import("~/jobs/worker.server");
    const { startRun } = await import("~/runs/start-run.server");
    const { runProgress } = await import("~/runs/run-events.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "all-down", name: "All Down", status: "active" } });
    await platformDb.tenantSettings.create({ data: { tenantId: tenant.id, odooPushMode: "on_approval" } });
    await saveIcpRules(tenant.id, { sub: "test", email: null }, { dailyCap: 20 });
    const worker = await startWorker({ concurrency: 16, pollInterval: 50, crontabFile: null });
    stopWorker = worker.stop;

    const { runId } = await startRun(tenant.id, { kind: "manual", actor: null, options: { limit: 20 } });
    await waitFor(async () => ["succeeded", "failed"].includes((await runProgress(tenant.id, runId))?.status ?? ""), {
      timeoutMs: 150_000,
      intervalMs: 200,
      what: "the run to finish",
    });
    const run = await db.$withTenant(tenant.id, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: runId } } }));
    const usage = await db.$withTenant(tenant.id, (tx) => tx.runVendorUsage.findMany({ where: { runId } }));
    const companies = await db.$withTenant(tenant.id, (tx) => tx.runCompany.findMany({ where: { runId }, select: { attempts: true, status: true } }));
    const alerts = await db.$withTenant(tenant.id, (tx) => tx.alert.findMany({ where: { runId }, select: { kind: true } }));
    const used = (vendor: string) => usage.find((u) => u.vendor === vendor) ?? { calls: 0, errors: 0 };
    const { tavily, apify, llm, zerobounce, lusha } = world.vendors;

    expect(run).toMatchObject({ status: "succeeded", settledCount: 20, degraded: true });
    expect(companies.every((c) => c.attempts === 1)).toBe(true);
    // What each simulator answered (every request failed) is what the run's usage says, call for call; the Tavily and
    // LLM clients wait out a 429 and send it again, so their usage counts the pipeline's calls, each one failed.
    expect(used("tavily")).toMatchObject({ calls: used("tavily").errors });
    expect(used("apify_linkedin")).toMatchObject({ calls: apify.stats.calls, errors: apify.stats.faults });
    expect(run.degradedReasons).toEqual(
      expect.arrayContaining([
        `tavily: ${used("tavily").calls} of ${used("tavily").calls} calls failed`,
        `apify_linkedin: ${apify.stats.faults} of ${apify.stats.calls} calls failed`,
        `llm: ${used("llm").calls} of ${used("llm").calls} calls failed`,
      ]),
    );
    // No retry storm: a company costs a handful of requests per vendor, and the
    // Tavily and LLM clients repeat a rate-limited request at most twice.
    expect(used("tavily").calls).toBeGreaterThanOrEqual(20);
    expect(used("tavily").calls).toBeLessThanOrEqual(2 * 20);
    expect(tavily.stats.calls).toBeGreaterThan(used("tavily").calls);
    expect(tavily.stats.calls).toBeLessThanOrEqual(3 * used("tavily").calls);
    expect(apify.stats.calls).toBeLessThanOrEqual(3 * 20);
    expect(llm.stats.calls).toBeLessThanOrEqual(3 * used("llm").calls);
    expect(world.web.stats.requests).toBeLessThanOrEqual(2 * 20);
    // Nothing was found to verify or to look up further.
    expect(zerobounce.stats.calls + lusha.stats.calls).toBe(0);
    expect(alerts.map((a) => a.kind)).toEqual(expect.arrayContaining(["crawl_error_rate", "vendor_rate_limit"]));
  }, 180_000);
});
