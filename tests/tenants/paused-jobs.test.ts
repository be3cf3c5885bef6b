import { randomUUID } from "node:crypto";
import { type JobHelpers } from "graphile-worker";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { platformDb } from "~/db.server";
import { toGraphileTask } from "~/jobs/define-task.server";
import { type TaskName } from "~/jobs/payloads";
import { taskDefinitions } from "~/jobs/tasks.server";

/**
 * A paused workspace's jobs do not run: every task that works on one tenant
 * puts its job back for later instead. Going through the registry means a
 * new tenant task without the gate fails here.
 */

// Pausing applies to active workspaces only, whose provisioning is over; a
// person's erasure is owed whatever the workspace's state; an alert about a
// paused workspace still reaches its channels.
const NOT_GATED: TaskName[] = ["provision_tenant", "erase_data_subject", "deliver_alert"];

let tenantId: string;

beforeAll(async () => {
  const tenant = await platformDb.tenant.create({ data: { slug: `paused-${randomUUID().slice(0, 8)}`, name: "Paused Co", status: "paused" } });
  tenantId = tenant.id;
});

function payloadFor(name: TaskName, tenant: string): Record<string, unknown> {
  const runId = randomUUID();
  const payloads: Partial<Record<TaskName, Record<string, unknown>>> = {
    start_run: { tenantId: tenant, runId },
    enrich_company: { tenantId: tenant, runId, uen: "201912345K" },
    verify_run_emails: { tenantId: tenant, runId },
    score_company: { tenantId: tenant, runId, uen: "201912345K" },
    finalize_run: { tenantId: tenant, runId },
    push_run_to_odoo: { tenantId: tenant, runId },
    refresh_candidates: { tenantId: tenant, reason: "icp_changed" },
    sync_odoo_member: { tenantId: tenant, userId: randomUUID() },
    sync_lake_source: { tenantId: tenant, syncRunId: randomUUID() },
    push_suppressions_to_odoo: { tenantId: tenant, removed: [] },
  };
  const payload = payloads[name];
  if (!payload) throw new Error(`No test payload for tenant task ${name}: add one`);
  return payload;
}

const tenantTasks = (Object.keys(taskDefinitions) as TaskName[]).filter((name) => {
  const schema = taskDefinitions[name].schema;
  return schema instanceof z.ZodObject && "tenantId" in schema.shape && !NOT_GATED.includes(name);
});

function helpersFor(name: TaskName, payload: unknown): JobHelpers {
  const job = {
    id: "1",
    task_identifier: name,
    payload,
    key: `paused:${name}`,
    job_queue_id: null,
    priority: 0,
    attempts: 1,
    max_attempts: taskDefinitions[name].maxAttempts,
  };
  const logger = { info() {}, debug() {}, warn() {}, error() {} };
  return { job, logger, getQueueName: async () => null } as unknown as JobHelpers;
}

describe("jobs of a paused workspace", () => {
  it("covers the tenant tasks", () => {
    expect(tenantTasks.length).toBeGreaterThanOrEqual(8);
  });

  it.each(tenantTasks)("%s is put back for later instead of running", async (name) => {
    const payload = payloadFor(name, tenantId);
    await toGraphileTask(taskDefinitions[name])(payload, helpersFor(name, payload));
    const rows = await platformDb.$queryRaw<Array<{ run_at: Date; key: string | null }>>`
      SELECT j.run_at, j.key FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = ${name} AND j.payload::jsonb = ${JSON.stringify(payload)}::jsonb`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.run_at.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
    // Under the job's own key, so later re-adds of the same work fold into it.
    expect(rows[0]!.key).toBe(`paused:${name}`);
  });
});
