import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OdooSession } from "~/odoo/client.server";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { type OdooSimulator } from "../sims/odoo";
import { DRILL_HEARTBEAT_MS } from "../support/drill-heartbeat";
import { waitFor } from "../support/wait-for";
import { startRunWorld } from "./run-world";

/**
 * A worker killed with SIGKILL in the middle of a run
 * loses nothing and repeats no side effect. A child process works the run's
 * jobs and is killed once some companies are done; a fresh worker releases
 * the dead process's locked jobs, finishes the run, and the Odoo push that
 * follows creates each partner exactly once.
 */
let world: DevWorld;
let sim: OdooSimulator;
let admin: OdooSession;
let child: ChildProcess | undefined;
let stopWorker: (() => Promise<void>) | undefined;

beforeAll(async () => {
  world = await startRunWorld({ rows: 70 });
  const fixtures = await import("../support/lead-push-fixtures");
  ({ sim, admin } = await fixtures.startPushSimulator());
  Object.assign(process.env, { ODOO_URL: sim.url, ODOO_DB: fixtures.ODOO_DB, ODOO_ADMIN_PASSWORD: "admin-pw", ODOO_MODE: "company_per_tenant" });
}, 120_000);

afterAll(async () => {
  child?.kill("SIGKILL");
  await stopWorker?.();
  await sim?.stop();
  await world?.close();
});

describe("a worker killed mid-run", () => {
  it("resumes with every company settled once and no duplicate Odoo partners", async () => {
    const { platformDb, db } = await import("~/db.server");
    const { saveIcpRules } = await import("~/icp/icp.server");
    const { startRun } = await import("~/runs/start-run.server");
    const { runProgress } = await import("~/runs/run-events.server");
    const { createTenantWithOdoo, ODOO_DB } = await import("../support/lead-push-fixtures");
    const tenant = await createTenantWithOdoo(sim, admin);
    await saveIcpRules(tenant.tenantId, { sub: "test", email: null }, { dailyCap: 30, scoreThresholds: { high: 85, medium: 65 } });

    child = spawn(process.execPath, ["--import", "tsx", "tests/runs/worker-child.ts"], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    const { runId } = await startRun(tenant.tenantId, { kind: "manual", actor: null, options: { limit: 30 } });
    await waitFor(async () => ((await runProgress(tenant.tenantId, runId))?.settled ?? 0) >= 8, {
      timeoutMs: 90_000,
      intervalMs: 25,
      what: "some companies to settle",
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child!.once("exit", resolve));
    const before = await runProgress(tenant.tenantId, runId);
    expect(before!.settled).toBeLessThan(30);

    // The dead process's heartbeat goes stale; a new worker releases its jobs once it has beaten for three intervals itself.
    await platformDb.workerHeartbeat.updateMany({ data: { seenAt: new Date(Date.now() - 5 * 60_000) } });
    const { startWorker } = await import("~/jobs/worker.server");
    const worker = await startWorker({ concurrency: 8, pollInterval: 50, crontabFile: null, heartbeatMs: DRILL_HEARTBEAT_MS });
    stopWorker = worker.stop;

    await waitFor(async () => (await runProgress(tenant.tenantId, runId))?.status === "succeeded", {
      timeoutMs: 120_000,
      intervalMs: 100,
      what: "the run to finish",
    });
    await waitFor(() => db.$withTenant(tenant.tenantId, (tx) => tx.runEventLog.count({ where: { runId, stage: "odoo_push", event: "finished" } })), {
      timeoutMs: 60_000,
      what: "the Odoo push after the run",
    });

    const { companies, scores, links } = await db.$withTenant(tenant.tenantId, async (tx) => ({
      companies: await tx.runCompany.findMany({ where: { runId }, select: { status: true, attempts: true } }),
      scores: await tx.leadScore.count({ where: { runId } }),
      links: await tx.odooPartnerLink.findMany({ select: { uen: true, partnerId: true } }),
    }));
    expect(companies).toHaveLength(30);
    expect(companies.every((c) => c.status === "done")).toBe(true);
    expect(scores).toBeGreaterThan(0);

    const partners = sim.state
      .database(ODOO_DB)
      .records("res.partner")
      .filter((p) => p.company_id === tenant.companyId && p.is_company === true);
    const refs = partners.map((p) => p.ref);
    expect(new Set(refs).size).toBe(refs.length);
    expect(partners).toHaveLength(links.length);
    expect(links.length).toBeGreaterThan(0);
  }, 240_000);
});
