import { EventEmitter } from "node:events";
import { type WorkerEvents } from "graphile-worker";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { db, platformDb } from "~/db.server";
import { waitFor } from "../../tests/support/wait-for";
import { defineTask } from "./define-task.server";
import { addJob, enqueue } from "./enqueue.server";
import { heldJobs, startWorker, type WorkerHandle } from "./worker.server";

/**
 * A worker's slots do not each ask Postgres for jobs: one local queue per
 * process fetches for them, so idle slots cost no queries. Counted on the
 * job queue's connections: graphile-worker's job fetch is the statement that
 * takes available jobs from `_private_jobs`.
 */
const JOB_FETCH = /from "graphile_worker"\._private_jobs as jobs\s+where jobs\.is_available = true/;

let worker: WorkerHandle | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await worker?.stop();
  worker = undefined;
});

function countJobFetches() {
  const counted = { fetches: 0 };
  const send = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [config] = args as [{ text?: string } | string];
    const text = typeof config === "string" ? config : config?.text;
    if (text && JOB_FETCH.test(text)) counted.fetches += 1;
    return (send as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  return counted;
}

describe("fetching jobs", () => {
  it("an idle worker with many slots asks for jobs once, not once per slot", async () => {
    const done: string[] = [];
    const task = defineTask("test_fetch_once", { schema: z.object({ label: z.string() }) }, async ({ label }) => {
      done.push(label);
    });
    const counted = countJobFetches();
    // A poll interval longer than the test: every fetch counted is the start's or a new job's.
    worker = await startWorker({ concurrency: 20, pollInterval: 60_000, extraTasks: [task], crontabFile: null });
    await addJob("test_fetch_once", { label: "one" });
    await waitFor(() => done.length === 1, { what: "the job to run" });
    expect(done).toEqual(["one"]);
    // Per pool (the company work's and the run pacing's, see PACING_TASKS), the start's fetch and the new job's
    // (one more if the job's notification came during the first); each of the 20 slots asking on its own made at least 21.
    expect(counted.fetches).toBeLessThanOrEqual(6);
  });
});

describe("heldJobs", () => {
  it("holds what the local queue fetched until it completes or is given back", () => {
    const events = new EventEmitter() as WorkerEvents;
    const held = heldJobs(events);
    const job = (id: string) => ({ id }) as never;
    events.emit("localQueue:getJobs:complete", { jobs: [job("1"), job("2"), job("3")] } as never);
    events.emit("job:start", { job: job("1") } as never);
    expect([...held].sort()).toEqual(["1", "2", "3"]);
    events.emit("job:complete", { job: job("1") } as never);
    events.emit("localQueue:returnJobs", { jobs: [job("2")] } as never);
    expect([...held]).toEqual(["3"]);
    // A job a slot fetched itself is held while it runs.
    events.emit("job:start", { job: job("4") } as never);
    expect([...held].sort()).toEqual(["3", "4"]);
  });
});

describe("a run's verification job", () => {
  it("gets a slot of its own while company work holds every other one", async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const holding: string[] = [];
    const companyWork = defineTask("test_hold_slot", { schema: z.object({ label: z.string() }) }, async ({ label }) => {
      holding.push(label);
      await released;
    });
    worker = await startWorker({ concurrency: 1, pollInterval: 100, extraTasks: [companyWork], crontabFile: null });
    try {
      await addJob("test_hold_slot", { label: "company" });
      await waitFor(() => holding.length === 1, { what: "company work to hold the worker's one slot" });
      const tenant = await platformDb.tenant.create({ data: { slug: "pacing-slot", name: "pacing-slot", status: "active" } });
      const run = await db.$withTenant(tenant.id, (tx) =>
        tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-07"), targetCount: 0 } }),
      );
      const job = await enqueue("verify_run_emails", { tenantId: tenant.id, runId: run.id });
      await waitFor(async () => (await platformDb.$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker.jobs WHERE id = ${BigInt(job.id)}`).length === 0, {
        what: "the verification job to run while the slot is held",
      });
      expect(holding).toEqual(["company"]);
    } finally {
      release();
    }
  });
});

describe("the worker's schedule", () => {
  it("keeps no cron items when told to run without a crontab, in either of its pools", async () => {
    worker = await startWorker({ concurrency: 2, pollInterval: 60_000, crontabFile: null });
    const known = await platformDb.$queryRaw<Array<{ identifier: string }>>`SELECT identifier FROM graphile_worker._private_known_crontabs`;
    expect(known).toEqual([]);
  });
});
