import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { waitFor } from "../support/wait-for";
import { startRunWorld } from "./run-world";

/**
 * No vendor failure aborts a run. One in five web and vendor
 * requests fails (5xx, some 429): the run still finishes, every company
 * settles, and the run says it is degraded and why.
 */
let world: DevWorld;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  world = await startRunWorld({ rows: 60, faultRate: 0.2 });
}, 120_000);

afterAll(async () => {
  await stopWorker?.();
  await world?.close();
});

describe("a run with 20 % vendor errors", () => {
  it("completes, settles every company and flags itself degraded with reasons", async () => {
    const { platformDb, db } = await import("~/db.server");
    const { saveIcpRules } = await import("~/icp/icp.server");
    const { startWorker } = await import("~/jobs/worker.server");
    const { startRun } = await import("~/runs/start-run.server");
    const { runProgress } = await import("~/runs/run-events.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "faulty-co", name: "Faulty Co", status: "active" } });
    await platformDb.tenantSettings.create({ data: { tenantId: tenant.id, odooPushMode: "on_approval" } });
    await saveIcpRules(tenant.id, { sub: "test", email: null }, { dailyCap: 25 });
    const worker = await startWorker({ concurrency: 16, pollInterval: 50, crontabFile: null });
    stopWorker = worker.stop;

    const { runId } = await startRun(tenant.id, { kind: "manual", actor: null, options: { limit: 25 } });
    await waitFor(async () => ["succeeded", "failed"].includes((await runProgress(tenant.id, runId))?.status ?? ""), {
      timeoutMs: 150_000,
      intervalMs: 200,
      what: "the run to finish despite the faults",
    });
    const run = await db.$withTenant(tenant.id, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: runId } } }));
    expect(run.status).toBe("succeeded");
    expect(run.settledCount).toBe(25);
    expect(run.degraded).toBe(true);
    expect(run.degradedReasons.some((r) => /calls failed/.test(r))).toBe(true);
    // A degraded run raises the run-failure alert that alert channels deliver.
    const alert = await db.$withTenant(tenant.id, (tx) =>
      tx.alert.findFirst({ where: { runId, kind: "run_degraded" }, select: { severity: true, message: true } }),
    );
    expect(alert).toMatchObject({ severity: "warning", message: expect.stringMatching(/^The run finished degraded: .*calls failed/) });
    const usage = await db.$withTenant(tenant.id, (tx) => tx.runVendorUsage.findMany({ where: { runId } }));
    expect(usage.reduce((n, u) => n + u.errors, 0)).toBeGreaterThan(0);
    // Failed LLM calls (extraction, rationale) count as vendor errors like any other vendor's.
    expect(usage.find((u) => u.vendor === "llm")?.errors).toBeGreaterThan(0);
    // The companies still got what the working calls could give.
    const scored = await db.$withTenant(tenant.id, (tx) => tx.leadScore.count({ where: { runId } }));
    expect(scored).toBeGreaterThan(15);
  }, 180_000);
});
