import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WorkerHandle } from "~/jobs/worker.server";
import { type OdooSession } from "~/odoo/client.server";
import { seedDemoCrm, type OdooSimulator, type SimDatabase } from "../sims/odoo";
import { DRILL_HEARTBEAT_MS } from "../support/drill-heartbeat";
import { createTenantWithOdoo } from "../support/lead-push-fixtures";
import { startCrmOdoo } from "../support/odoo-crm";
import { waitFor } from "../support/wait-for";

/**
 * Fault drill: the worker process is killed (SIGKILL) in the middle of a full
 * data-lake sync of the tenant's Odoo. A fresh worker releases the job and the
 * sync resumes from its cursor: it ends `succeeded`, canonical holds each of
 * Odoo's opportunities exactly once, and the raw zone holds no version twice.
 */
let sim: OdooSimulator;
let admin: OdooSession;
let odoo: SimDatabase;
let child: ChildProcess | undefined;
let worker: WorkerHandle | undefined;

beforeAll(async () => {
  ({ sim, admin, odoo } = await startCrmOdoo());
  Object.assign(process.env, { ODOO_URL: sim.url });
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await worker?.stop();
  await sim?.stop();
});

describe("drill: the worker killed during a data-lake sync", () => {
  it("resumes the sync from its cursor and loads every record once", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { requestSyncIn } = await import("~/lake/sync-requests.server");
    const { withLakeScope } = await import("~/lake/hierarchy.server");
    const { WHOLE_TENANT } = await import("~/lake/serving-reads.server");
    const { startWorker } = await import("~/jobs/worker.server");
    const tenant = await createTenantWithOdoo(sim, admin);
    seedDemoCrm(odoo, { companyId: tenant.companyId, companies: 40, leads: 1500, now: new Date("2026-11-30T12:00:00Z") });
    // Slow Odoo, so the kill lands between pages.
    sim.faults.setLatency(40);
    const { syncRunId } = await db.$withTenant(tenant.tenantId, (tx) => requestSyncIn(tx, tenant.tenantId, { source: "odoo", mode: "full", trigger: "cli" }));
    const syncRun = () => db.$withTenant(tenant.tenantId, (tx) => tx.lakeSyncRun.findFirstOrThrow({ where: { id: syncRunId } }));

    child = spawn(process.execPath, ["--import", "tsx", "tests/runs/worker-child.ts"], { env: process.env, stdio: ["ignore", "ignore", "inherit"] });
    await waitFor(async () => (await syncRun()).entity === "crm.lead" && (await syncRun()).fetched > 0, {
      timeoutMs: 90_000,
      intervalMs: 20,
      what: "the sync to be reading opportunities",
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child!.once("exit", resolve));
    expect((await syncRun()).status).toBe("running");

    await platformDb.workerHeartbeat.updateMany({ data: { seenAt: new Date(Date.now() - 5 * 60_000) } });
    sim.faults.setLatency(0);
    worker = await startWorker({ crontabFile: null, pollInterval: 100, concurrency: 2, heartbeatMs: DRILL_HEARTBEAT_MS });
    const done = await waitFor(async () => ((await syncRun()).status === "running" ? null : syncRun()), { timeoutMs: 120_000, what: "the sync to finish" });
    expect(done).toMatchObject({ status: "succeeded", rejected: 0 });
    expect(done.attempts).toBeGreaterThanOrEqual(2);

    const sourceIds = odoo
      .records("crm.lead")
      .filter((l) => l.company_id === tenant.companyId)
      .map((l) => String(l.id))
      .sort();
    const { lake, rawTwice } = await withLakeScope(tenant.tenantId, WHOLE_TENANT, async (tx) => ({
      lake: await tx.$queryRaw<Array<{ source_id: string }>>`
        SELECT s.source_id FROM lake_opportunities o
        JOIN lake_source_records s ON s.canonical_id = o.id AND s.source = 'odoo' AND s.entity = 'crm.lead'
        WHERE o.deleted_at IS NULL`,
      rawTwice: await tx.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM (SELECT 1 FROM lake_raw_records GROUP BY source, entity, source_id, content_hash HAVING count(*) > 1) d`,
    }));
    expect(lake.map((r) => r.source_id).sort()).toEqual(sourceIds);
    expect(rawTwice[0]!.n).toBe(0);
  }, 240_000);
});
