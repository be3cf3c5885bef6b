import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { DRILL_HEARTBEAT_MS } from "../support/drill-heartbeat";
import { waitFor } from "../support/wait-for";
import { startRunWorld } from "./run-world";

/**
 * A worker process killed at the seams of a run. The child worker is stopped at the seam by a table lock the test holds
 * (a real Postgres lock wait, nothing stubbed), killed with SIGKILL, and a
 * fresh worker must bring the run to a proper end. And two starts at once
 * give one run.
 */
let world: DevWorld;
let child: ChildProcess | undefined;
let stopWorker: (() => Promise<void>) | undefined;
let locker: pg.Client;

beforeAll(async () => {
  world = await startRunWorld({ rows: 30 });
  locker = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await locker.connect();
}, 120_000);

afterEach(async () => {
  child?.kill("SIGKILL");
  child = undefined;
  await stopWorker?.();
  stopWorker = undefined;
});

afterAll(async () => {
  await locker?.end();
  await world?.close();
});

async function newTenant(slug: string) {
  const { platformDb } = await import("~/db.server");
  const { saveIcpRules } = await import("~/icp/icp.server");
  const tenant = await platformDb.tenant.create({ data: { slug, name: slug, status: "active" } });
  await platformDb.tenantSettings.create({ data: { tenantId: tenant.id, odooPushMode: "on_approval" } });
  await saveIcpRules(tenant.id, { sub: "test", email: null }, { dailyCap: 30, scoreThresholds: { high: 85, medium: 65 } });
  return tenant.id;
}

/** Holds an exclusive lock on `table` until the returned release is called. */
async function lockTable(table: string): Promise<() => Promise<void>> {
  await locker.query("BEGIN");
  await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await locker.query("ROLLBACK");
  };
}

async function waitersOn(table: string): Promise<number> {
  const { rows } = await locker.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = $1 AND NOT l.granted`,
    [table],
  );
  return rows[0]!.n;
}

async function advisoryWaiters(): Promise<number> {
  const { rows } = await locker.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
  return rows[0]!.n;
}

/** Starts a worker child, lets it run into the lock on `table` (once `reached` holds), and kills it there. */
async function killWorkerBlockedOn(table: string, start: () => Promise<unknown>, reached: () => Promise<boolean> = async () => true) {
  const release = await lockTable(table);
  child = spawn(process.execPath, ["--import", "tsx", "tests/runs/worker-child.ts"], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
  await start();
  await waitFor(async () => (await waitersOn(table)) > 0 && (await reached()), { timeoutMs: 60_000, intervalMs: 25, what: `the worker to wait on ${table}` });
  child.kill("SIGKILL");
  await new Promise((resolve) => child!.once("exit", resolve));
  child = undefined;
  await release();
}

/** A fresh worker, after the dead process's heartbeat went stale. */
async function freshWorker() {
  const { platformDb } = await import("~/db.server");
  await platformDb.workerHeartbeat.updateMany({ data: { seenAt: new Date(Date.now() - 5 * 60_000) } });
  const { startWorker } = await import("~/jobs/worker.server");
  const worker = await startWorker({ concurrency: 4, pollInterval: 50, crontabFile: null, heartbeatMs: DRILL_HEARTBEAT_MS });
  stopWorker = worker.stop;
}

async function runRow(tenantId: string, runId: string) {
  const { db } = await import("~/db.server");
  return db.$withTenant(tenantId, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: runId } } }));
}

describe("a worker killed while finalizing a run", () => {
  it("leaves the run to be finalized by the retried job, once", async () => {
    const { db } = await import("~/db.server");
    const { startRun } = await import("~/runs/start-run.server");
    const tenantId = await newTenant("finalize-kill");
    // A suppressed company is the run's only target: the run goes straight to its finalizer.
    await db.$withTenant(tenantId, (tx) => tx.suppressionEntry.create({ data: { kind: "uen", value: "199900001Z" } }));

    let runId = "";
    // The finalizer reads the run's vendor usage after it has the run in hand.
    await killWorkerBlockedOn("run_vendor_usage", async () => {
      ({ runId } = await startRun(tenantId, { kind: "manual", actor: null, options: { uens: ["199900001Z"] } }));
    });
    expect((await runRow(tenantId, runId)).status).not.toBe("succeeded");

    await freshWorker();
    await waitFor(async () => (await runRow(tenantId, runId)).status === "succeeded", { timeoutMs: 90_000, intervalMs: 100, what: "the run to be finalized" });
    const finished = await db.$withTenant(tenantId, (tx) => tx.runEventLog.count({ where: { runId, stage: "run", event: "finished" } }));
    expect(finished).toBe(1);
  }, 120_000);

  it("the watchdog finalizes a run an older finalizer left in `finalizing`", async () => {
    const { db } = await import("~/db.server");
    const { watchRuns } = await import("~/runs/watchdog.server");
    const tenantId = await newTenant("finalize-stuck");
    const runId = await db.$withTenant(tenantId, async (tx) => {
      const run = await tx.run.create({
        data: { kind: "manual", status: "finalizing", runDate: new Date("2026-12-01"), startedAt: new Date(Date.now() - 60 * 60_000) },
      });
      const { logStep } = await import("~/runs/run-log.server");
      await logStep(tx, { runId: run.id, stage: "run", event: "targets", status: "ok", args: { targets: 0 } });
      return run.id;
    });
    await freshWorker();
    expect((await watchRuns()).finalized).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await runRow(tenantId, runId)).status === "succeeded", {
      timeoutMs: 90_000,
      intervalMs: 100,
      what: "the stuck run to be finalized",
    });
  }, 120_000);
});

describe("a worker killed while starting a run", () => {
  it("picks the targets on the retry instead of finishing an empty run", async () => {
    const { db } = await import("~/db.server");
    const { startRun } = await import("~/runs/start-run.server");
    const { watchRuns } = await import("~/runs/watchdog.server");
    const tenantId = await newTenant("start-kill");

    let runId = "";
    // The start job refreshes and reads the candidates after it claimed the run.
    await killWorkerBlockedOn(
      "icp_candidate_blocks",
      async () => {
        ({ runId } = await startRun(tenantId, { kind: "manual", actor: null, options: { limit: 3 } }));
      },
      async () => (await runRow(tenantId, runId)).status === "running",
    );
    expect((await runRow(tenantId, runId)).status).toBe("running");

    await freshWorker();
    // The watchdog's pass over the run, as if its start had been long ago.
    await watchRuns(new Date(Date.now() + 60 * 60_000));
    await waitFor(async () => (await runRow(tenantId, runId)).status === "succeeded", { timeoutMs: 90_000, intervalMs: 100, what: "the run to finish" });
    const run = await runRow(tenantId, runId);
    expect(run.targetCount).toBe(3);
    const companies = await db.$withTenant(tenantId, (tx) => tx.runCompany.findMany({ where: { runId }, select: { status: true } }));
    expect(companies.map((c) => c.status)).toEqual(["done", "done", "done"]);
  }, 180_000);
});

describe("two full runs started at once", () => {
  it("gives one run; the other starts are told it is active", async () => {
    const { startRun, RunAlreadyActiveError } = await import("~/runs/start-run.server");
    const tenantId = await newTenant("start-race");
    // Every start has passed its "is a run active?" check before any of them inserts: the first waits on
    // icp_rules, the others on the plan's quota lock, which is taken after the check.
    const release = await lockTable("icp_rules");
    const starts = Array.from({ length: 4 }, () => startRun(tenantId, { kind: "manual", actor: null, options: { limit: 1 } }));
    await waitFor(async () => (await waitersOn("icp_rules")) >= 1 && (await advisoryWaiters()) >= 3, { what: "every start to pass its check" });
    await release();
    const results = await Promise.allSettled(starts);
    const started = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<{ runId: string }>).value.runId);
    expect(started).toHaveLength(1);
    for (const result of results.filter((r) => r.status === "rejected")) {
      const error = (result as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(RunAlreadyActiveError);
      expect((error as InstanceType<typeof RunAlreadyActiveError>).runId).toBe(started[0]);
    }
  });
});

describe("two jobs for the same company", () => {
  it("enrich it once while the first job's worker is alive; a dead worker's lease is taken over", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { runEnrichCompanyJob } = await import("~/runs/company-job.server");
    const tenantId = await newTenant("lease");
    const [{ uen }, other] = (await platformDb.$queryRaw<Array<{ uen: string }>>`SELECT uen FROM staging_acra_companies ORDER BY uen LIMIT 2`) as [
      { uen: string },
      { uen: string },
    ];
    const runId = await db.$withTenant(tenantId, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-02"), targetCount: 2, startedAt: new Date() } });
      await tx.runCompany.createMany({
        data: [
          { tenantId, runId: run.id, uen: uen! },
          { tenantId, runId: run.id, uen: other!.uen, status: "running", leaseJobId: "1", leaseWorker: "gone-worker" },
        ],
      });
      return run.id;
    });
    // Two live worker processes, as after a database hiccup released a job that was still running.
    await platformDb.workerHeartbeat.create({
      data: { workerId: "lease-test", hostname: "test", pid: 1, startedAt: new Date(), seenAt: new Date(), graphileWorkerIds: ["worker-a", "worker-b"] },
    });
    const job = (jobId: string, workerId: string, company = uen!) =>
      runEnrichCompanyJob({ tenantId, runId, uen: company, attempt: 1, maxAttempts: 3, jobId, workerId });
    await Promise.all([job("10", "worker-a"), job("11", "worker-b")]);
    // The company whose lease holder no longer beats is taken over.
    await job("12", "worker-a", other!.uen);
    const companies = await db.$withTenant(tenantId, (tx) =>
      tx.runCompany.findMany({ where: { runId }, orderBy: { uen: "asc" }, select: { uen: true, attempts: true, status: true } }),
    );
    expect(companies.find((c) => c.uen === uen)!.attempts).toBe(1);
    expect(companies.find((c) => c.uen === other!.uen)).toMatchObject({ attempts: 1 });
    expect(companies.find((c) => c.uen === other!.uen)!.status).not.toBe("running");
    await platformDb.workerHeartbeat.delete({ where: { workerId: "lease-test" } });
  }, 120_000);
});
