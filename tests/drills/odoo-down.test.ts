import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OdooSession } from "~/odoo/client.server";
import { startRunWorld } from "../runs/run-world";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { type OdooSimulator } from "../sims/odoo";
import { expectErrorLogs } from "../support/error-logs";
import { waitFor } from "../support/wait-for";

/**
 * Fault drill: the tenant's Odoo is unreachable for the whole push after a
 * run. The push job waits with backoff (its attempts are visible in the run's
 * events), the run says it is degraded and why, and once Odoo answers again
 * the next attempt pushes every lead exactly once.
 */
let world: DevWorld;
let sim: OdooSimulator;
let admin: OdooSession;
let stopWorker: (() => Promise<void>) | undefined;

beforeAll(async () => {
  world = await startRunWorld({ rows: 40 });
  const fixtures = await import("../support/lead-push-fixtures");
  ({ sim, admin } = await fixtures.startPushSimulator());
  Object.assign(process.env, { ODOO_URL: sim.url, ODOO_DB: fixtures.ODOO_DB, ODOO_ADMIN_PASSWORD: "admin-pw", ODOO_MODE: "company_per_tenant" });
}, 120_000);

afterAll(async () => {
  await stopWorker?.();
  await sim?.stop();
  await world?.close();
});

describe("drill: Odoo down for the whole push", () => {
  it("waits, marks the run degraded, and pushes every lead once when Odoo is back", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { watchRuns } = await import("~/runs/watchdog.server");
    const { saveIcpRules } = await import("~/icp/icp.server");
    const { startWorker } = await import("~/jobs/worker.server");
    const { startRun } = await import("~/runs/start-run.server");
    const { runProgress } = await import("~/runs/run-events.server");
    const { createTenantWithOdoo, ODOO_DB } = await import("../support/lead-push-fixtures");
    const tenant = await createTenantWithOdoo(sim, admin);
    // Each attempt the outage fails is the worker's error log.
    expectErrorLogs(/Failed task \d+ \(push_run_to_odoo/);
    await saveIcpRules(tenant.tenantId, { sub: "test", email: null }, { dailyCap: 12, scoreThresholds: { high: 85, medium: 65 } });
    const worker = await startWorker({ concurrency: 8, pollInterval: 50, crontabFile: null });
    stopWorker = worker.stop;

    const outage = await sim.faults.goOffline();
    const { runId } = await startRun(tenant.tenantId, { kind: "manual", actor: null, options: { limit: 12 } });
    await waitFor(async () => (await runProgress(tenant.tenantId, runId))?.status === "succeeded", {
      timeoutMs: 120_000,
      intervalMs: 100,
      what: "the run to finish",
    });
    const pushEvents = () =>
      db.$withTenant(tenant.tenantId, (tx) =>
        tx.runEventLog.findMany({ where: { runId, stage: "odoo_push" }, orderBy: { id: "asc" }, select: { event: true, status: true, args: true } }),
      );
    await waitFor(async () => (await pushEvents()).filter((e) => e.event === "failed").length >= 2, { timeoutMs: 60_000, what: "two failed push attempts" });

    const run = () =>
      db.$withTenant(tenant.tenantId, (tx) =>
        tx.run.findFirstOrThrow({ where: { id: runId }, select: { status: true, degraded: true, degradedReasons: true } }),
      );
    expect(await run()).toMatchObject({
      status: "succeeded",
      degraded: true,
      degradedReasons: [expect.stringMatching(/^Odoo push waiting: odoo network: Odoo unreachable .*ECONNREFUSED/)],
    });
    expect(
      sim.state
        .database(ODOO_DB)
        .records("res.partner")
        .filter((p) => p.company_id === tenant.companyId && p.is_company === true),
    ).toHaveLength(0);

    // The outage outlasts the job's attempts: the watchdog leaves a job that still has some alone, and queues one that gave up again.
    expect((await watchRuns()).pushes).toBe(0);
    const gaveUp = await platformDb.$executeRaw`
      UPDATE graphile_worker._private_jobs SET attempts = max_attempts WHERE key = ${`odoo-push:${runId}`} AND locked_at IS NULL`;
    expect(gaveUp).toBe(1);
    expect((await watchRuns()).pushes).toBe(1);
    await waitFor(async () => (await pushEvents()).filter((e) => e.event === "failed").length >= 3, { timeoutMs: 60_000, what: "the requeued push to try" });

    outage.comeBack();
    await waitFor(async () => (await pushEvents()).some((e) => e.event === "finished"), { timeoutMs: 120_000, what: "the push after Odoo came back" });
    const events = await pushEvents();
    const last = events.filter((e) => e.event === "started").at(-1)!.args as { pending: number };
    const links = await db.$withTenant(tenant.tenantId, (tx) => tx.odooPartnerLink.findMany({ select: { partnerId: true } }));
    const partners = sim.state
      .database(ODOO_DB)
      .records("res.partner")
      .filter((p) => p.company_id === tenant.companyId && p.is_company === true);
    expect(last.pending).toBeGreaterThan(0);
    expect(partners).toHaveLength(last.pending);
    expect(new Set(partners.map((p) => p.ref)).size).toBe(partners.length);
    expect(links.map((l) => l.partnerId).sort()).toEqual(partners.map((p) => p.id).sort());
    expect(await run()).toMatchObject({
      degraded: true,
      degradedReasons: [expect.stringMatching(/^Odoo push delayed: .* pushed at \d{4}-\d\d-\d\d \d\d:\d\d UTC$/)],
    });
  }, 240_000);
});
