import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { platformDb } from "~/db.server";
import { expectErrorLogs } from "../../tests/support/error-logs";
import { waitFor } from "../../tests/support/wait-for";
import { defineTask } from "./define-task.server";
import { addJob, enqueue } from "./enqueue.server";
import { startWorker, type WorkerHandle } from "./worker.server";

const runs: Array<{ task: string; payload: unknown; attempt: number }> = [];
let failuresLeft = 1;

const recordTask = defineTask("test_record", { schema: z.object({ label: z.string() }) }, async (payload, helpers) => {
  runs.push({ task: "test_record", payload, attempt: helpers.job.attempts });
});
const flakyTask = defineTask("test_flaky", { schema: z.object({ label: z.string() }) }, async (payload, helpers) => {
  runs.push({ task: "test_flaky", payload, attempt: helpers.job.attempts });
  if (failuresLeft-- > 0) throw new Error("transient failure");
});

let worker: WorkerHandle;

beforeAll(async () => {
  worker = await startWorker({ concurrency: 2, pollInterval: 100, extraTasks: [recordTask, flakyTask], crontabFile: null });
});
afterAll(async () => {
  await worker.stop();
});

async function jobRow(id: string) {
  const rows = await platformDb.$queryRaw<Array<{ attempts: number; last_error: string | null }>>`
    SELECT attempts, last_error FROM graphile_worker.jobs WHERE id = ${BigInt(id)}`;
  return rows[0];
}

describe("the job worker", () => {
  it("runs a job the app enqueued", async () => {
    await platformDb.workerHeartbeat.create({
      data: { workerId: "gone-worker", hostname: "old-host", pid: 1, startedAt: new Date(0), seenAt: new Date(0) },
    });
    await enqueue("prune_worker_heartbeats", { olderThanHours: 1 });
    await waitFor(async () => (await platformDb.workerHeartbeat.count({ where: { workerId: "gone-worker" } })) === 0, {
      what: "the prune job to delete the stale heartbeat",
    });
    // The live worker's own heartbeat is untouched.
    expect(await platformDb.workerHeartbeat.count({ where: { workerId: worker.workerId } })).toBe(1);
  });

  it("retries a job that throws, and it succeeds on the next attempt", async () => {
    expectErrorLogs(/Failed task \d+ \(test_flaky.*transient failure/);
    const job = await addJob("test_flaky", { label: "retry-me" }, { maxAttempts: 3 });
    await waitFor(() => runs.filter((r) => r.task === "test_flaky").length >= 1, { what: "the first attempt" });
    // The handler has thrown; the worker records the failure just after.
    await waitFor(async () => Boolean((await jobRow(job.id))?.last_error), { what: "the failure to be recorded" });
    const afterFailure = await jobRow(job.id);
    expect(afterFailure?.last_error).toMatch(/transient failure/);
    // graphile-worker backs off exp(1) ≈ 2.7 s before the second attempt.
    await waitFor(async () => (await jobRow(job.id)) === undefined, { timeoutMs: 20_000, what: "the retried job to complete" });
    expect(runs.filter((r) => r.task === "test_flaky").map((r) => r.attempt)).toEqual([1, 2]);
  });

  it("keeps one pending job per job key", async () => {
    const later = new Date(Date.now() + 60 * 60 * 1000);
    const first = await addJob("test_record", { label: "first" }, { jobKey: "dedupe:key", jobKeyMode: "dedupe", runAt: later });
    const second = await addJob("test_record", { label: "second" }, { jobKey: "dedupe:key", jobKeyMode: "dedupe", runAt: later });
    expect(second.id).toBe(first.id);
    // The public jobs view has no payload column; the private table does.
    const pending = await platformDb.$queryRaw<Array<{ payload: unknown }>>`
      SELECT payload FROM graphile_worker._private_jobs WHERE key = 'dedupe:key'`;
    expect(pending).toEqual([{ payload: { label: "first" } }]);

    // The default mode replaces the pending job's payload instead.
    await addJob("test_record", { label: "replaced" }, { jobKey: "dedupe:key", runAt: new Date() });
    await waitFor(() => runs.some((r) => (r.payload as { label: string }).label === "replaced"), { what: "the keyed job" });
    expect(runs.filter((r) => r.task === "test_record").map((r) => (r.payload as { label: string }).label)).toEqual(["replaced"]);
  });

  it("rejects a malformed payload without running the handler", async () => {
    expectErrorLogs(/rejecting job: label Invalid input/, /Failed task \d+ \(test_record.*Invalid payload for test_record/);
    const job = await addJob("test_record", { label: 42 }, { maxAttempts: 1 });
    await waitFor(async () => (await jobRow(job.id))?.last_error, { what: "the job to fail" });
    expect((await jobRow(job.id))?.last_error).toMatch(/Invalid payload for test_record: label/);
    expect(runs.some((r) => (r.payload as { label: unknown }).label === 42)).toBe(false);
  });

  it("checks payloads against the task schema before enqueueing", async () => {
    await expect(enqueue("prune_worker_heartbeats", { olderThanHours: -5 })).rejects.toThrow(/Invalid payload for prune_worker_heartbeats/);
  });
});
