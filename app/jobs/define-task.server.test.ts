import { randomUUID } from "node:crypto";
import { type JobHelpers } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { platformDb } from "~/db.server";
import { currentJobRank } from "~/job-order.server";
import { defineTask, toGraphileTask } from "./define-task.server";
import { taskContracts } from "./payloads";

// Named after a real tenant task: the database lets tenant code enqueue only those.
const handled: string[] = [];
const heldTask = defineTask("refresh_candidates", { ...taskContracts.refresh_candidates, heldWhileTenantPaused: true }, async ({ reason }) => {
  handled.push(reason);
});
const unheldTask = defineTask("refresh_candidates", taskContracts.refresh_candidates, async ({ reason }) => {
  handled.push(reason);
});

async function tenantWithStatus(status: "active" | "paused" | "decommissioned") {
  const tenant = await platformDb.tenant.create({ data: { slug: `held-${randomUUID().slice(0, 8)}`, name: "Held Co", status } });
  return tenant.id;
}

function helpersFor(task: string, payload: unknown): JobHelpers {
  const job = { id: "1", task_identifier: task, payload, key: `held:${randomUUID()}`, job_queue_id: null, priority: 0, attempts: 1, max_attempts: 3 };
  const logger = { info() {}, debug() {}, warn() {}, error() {} };
  return { job, logger, getQueueName: async () => null } as unknown as JobHelpers;
}

async function pendingJobs(task: string, payload: unknown) {
  return platformDb.$queryRaw<Array<{ key: string | null }>>`
    SELECT j.key FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${task} AND j.payload::jsonb = ${JSON.stringify(payload)}::jsonb`;
}

async function runJob(task: typeof heldTask, tenantId: string, reason: string) {
  const payload = { tenantId, reason };
  const helpers = helpersFor(task.name, payload);
  await toGraphileTask(task)(payload, helpers);
  return { payload, key: helpers.job.key };
}

describe("a task held while its tenant is paused", () => {
  it("does not run its handler for a paused tenant, and puts the job back under its key", async () => {
    const { payload, key } = await runJob(heldTask, await tenantWithStatus("paused"), "paused");
    expect(handled).not.toContain("paused");
    expect(await pendingJobs("refresh_candidates", payload)).toEqual([{ key }]);
  });

  it("drops the job of a decommissioned tenant without running it", async () => {
    const { payload } = await runJob(heldTask, await tenantWithStatus("decommissioned"), "decommissioned");
    expect(handled).not.toContain("decommissioned");
    expect(await pendingJobs("refresh_candidates", payload)).toEqual([]);
  });

  it("runs for an active tenant", async () => {
    await runJob(heldTask, await tenantWithStatus("active"), "active");
    expect(handled).toContain("active");
  });

  it("is opt-in: a task without the option runs for a paused tenant", async () => {
    const { payload } = await runJob(unheldTask, await tenantWithStatus("paused"), "unheld");
    expect(handled).toContain("unheld");
    expect(await pendingJobs("refresh_candidates", payload)).toEqual([]);
  });
});

describe("a task's work", () => {
  it("runs in its job's place in the queue (priority, then id), where it meets other jobs' work", async () => {
    const ranks: unknown[] = [];
    const ranked = defineTask("refresh_candidates", taskContracts.refresh_candidates, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      ranks.push(currentJobRank());
    });
    const payload = { tenantId: await tenantWithStatus("active"), reason: "ranked" };
    const helpers = helpersFor(ranked.name, payload);
    Object.assign(helpers.job, { id: "77", priority: -1 });
    await toGraphileTask(ranked)(payload, helpers);
    expect(ranks).toEqual([[-1, 77]]);
  });
});
