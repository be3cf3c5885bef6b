import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { waitFor } from "../support/wait-for";
import { startRunWorld } from "./run-world";

/**
 * A workspace paused in the middle of a run: its company jobs are put back
 * under their own keys, and the watchdog leaves the run alone, so however
 * many cycles of deferral and watchdog pass, the job queue does not grow.
 */
let world: DevWorld;
let stopWorker: (() => Promise<void>) | undefined;

beforeAll(async () => {
  world = await startRunWorld({ rows: 20 });
}, 120_000);

afterAll(async () => {
  await stopWorker?.();
  await world?.close();
});

async function jobsOf(tenantId: string) {
  const { platformDb } = await import("~/db.server");
  const rows = await platformDb.$queryRaw<Array<{ n: number; future: number }>>`
    SELECT count(*)::int AS n, count(*) FILTER (WHERE run_at > now())::int AS future
    FROM graphile_worker._private_jobs WHERE payload->>'tenantId' = ${tenantId}`;
  return rows[0]!;
}

describe("a workspace paused with a run in progress", () => {
  it("keeps the number of its jobs flat over several deferral and watchdog cycles", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { enqueue } = await import("~/jobs/enqueue.server");
    const { watchRuns } = await import("~/runs/watchdog.server");
    const { startWorker } = await import("~/jobs/worker.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "paused-run", name: "Paused run", status: "active" } });
    const uens = (await platformDb.$queryRaw<Array<{ uen: string }>>`SELECT uen FROM staging_acra_companies ORDER BY uen LIMIT 4`).map((r) => r.uen);
    const longAgo = new Date(Date.now() - 60 * 60_000);
    const runId = await db.$withTenant(tenant.id, async (tx) => {
      const run = await tx.run.create({
        data: { kind: "manual", status: "running", runDate: new Date("2026-12-03"), targetCount: uens.length, startedAt: longAgo },
      });
      const { logStep } = await import("~/runs/run-log.server");
      await logStep(tx, { runId: run.id, stage: "run", event: "targets", status: "ok", args: { targets: uens.length } });
      await tx.runCompany.createMany({ data: uens.map((uen) => ({ tenantId: tenant.id, runId: run.id, uen })) });
      return run.id;
    });
    for (const uen of uens) {
      await enqueue(
        "enrich_company",
        { tenantId: tenant.id, runId, uen },
        { jobKey: `run:${runId}:${uen}`, jobKeyMode: "dedupe", runAt: new Date(Date.now() + 60 * 60_000) },
      );
    }
    // Stalled long ago, then paused.
    await platformDb.$executeRaw`UPDATE run_companies SET updated_at = ${longAgo} WHERE run_id = ${runId}::uuid`;
    await platformDb.tenant.update({ where: { id: tenant.id }, data: { status: "paused" } });
    expect(await jobsOf(tenant.id)).toEqual({ n: uens.length, future: uens.length });

    const worker = await startWorker({ concurrency: 4, pollInterval: 50, crontabFile: null });
    stopWorker = worker.stop;
    for (let cycle = 0; cycle < 4; cycle++) {
      // Time passes: the put-back jobs come due and run against the paused workspace.
      await platformDb.$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE payload->>'tenantId' = ${tenant.id}`;
      // Settled: every job has run and put itself back (none due or running any more).
      await waitFor(
        async () => {
          const { n, future } = await jobsOf(tenant.id);
          return future === n;
        },
        { timeoutMs: 30_000, intervalMs: 50, what: "the jobs to be put back" },
      );
      await watchRuns(new Date(Date.now() + (cycle + 1) * 60 * 60_000));
      expect(await jobsOf(tenant.id)).toEqual({ n: uens.length, future: uens.length });
    }
    const keys = await platformDb.$queryRaw<Array<{ key: string | null }>>`
      SELECT key FROM graphile_worker._private_jobs WHERE payload->>'tenantId' = ${tenant.id} ORDER BY key`;
    expect(keys.map((k) => k.key)).toEqual(uens.map((uen) => `run:${runId}:${uen}`).sort());
  }, 120_000);
});
