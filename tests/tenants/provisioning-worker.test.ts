import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type WorkerHandle } from "~/jobs/worker.server";
import { expectErrorLogs } from "../support/error-logs";
import { startStandIns, type StandIns } from "../support/platform";
import { waitFor } from "../support/wait-for";

/**
 * Provisioning through the job queue: first logins racing each other queue
 * one job, the worker runs it to ready, and a retry replaces a failed job.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let worker: WorkerHandle | undefined;

async function loadApp() {
  const [db, identity, provisioning, jobs] = await Promise.all([
    import("~/db.server"),
    import("~/auth/identity.server"),
    import("~/tenants/provisioning.server"),
    import("~/jobs/worker.server"),
  ]);
  return {
    platformDb: db.platformDb,
    resolveIdentity: identity.resolveIdentity,
    requestProvisioning: provisioning.requestProvisioning,
    provisioningStatus: provisioning.provisioningStatus,
    startWorker: () => jobs.startWorker({ crontabFile: null, pollInterval: 100, concurrency: 4 }),
  };
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  standIns.odoo.faults.clear();
});

afterAll(async () => {
  await standIns?.stop();
});

type JobRow = { id: bigint; attempts: number; last_error: string | null; run_at: Date; locked_at: Date | null; payload: unknown };

async function provisionJobs(tenantId: string): Promise<JobRow[]> {
  return app.platformDb.$queryRaw<JobRow[]>`
    SELECT id, attempts, last_error, run_at, locked_at, payload FROM graphile_worker._private_jobs WHERE key = ${`provision:${tenantId}`}`;
}

function newIdentity(label: string) {
  const tag = `${label}-${randomBytes(3).toString("hex")}`;
  return { sub: `sub-${tag}`, email: `${tag}@example.test`, email_verified: true, name: `User ${tag}`, roles: [] as string[] };
}

const companiesNamed = (name: string) =>
  standIns.odoo.state
    .database("platform")
    .records("res.company")
    .filter((c) => c.name === name);

async function readyStatus(tenantId: string) {
  const status = await app.provisioningStatus(tenantId);
  return status?.status === "ready" ? status : null;
}

describe("provisioning through the worker", () => {
  it("queues one job for first logins racing in several tabs, and the worker provisions once", async () => {
    const identity = newIdentity("race");
    const resolved = await Promise.all([app.resolveIdentity(identity), app.resolveIdentity(identity), app.resolveIdentity(identity)]);
    const tenantId = resolved[0].tenant!.id;
    expect(resolved.map((r) => r.tenant!.id)).toEqual([tenantId, tenantId, tenantId]);
    expect(await app.platformDb.tenant.count({ where: { ownerSub: identity.sub } })).toBe(1);

    // Two more first-login requests at once (double click) while the job is pending.
    const actor = { sub: identity.sub, email: identity.email };
    await Promise.all([app.requestProvisioning(tenantId, actor, { mode: "first_login" }), app.requestProvisioning(tenantId, actor, { mode: "first_login" })]);
    const jobs = await provisionJobs(tenantId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toEqual({ tenantId, actor });

    worker = await app.startWorker();
    const status = await waitFor(() => readyStatus(tenantId), { what: "the workspace to be ready" });
    expect(status).toMatchObject({ status: "ready", phase: "ready", error: null, attempts: 1 });
    const tenant = await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(tenant.status).toBe("active");
    expect(companiesNamed(tenant.name)).toHaveLength(1);
    await waitFor(async () => (await provisionJobs(tenantId)).length === 0, { what: "the finished job to leave the queue" });

    // A later sign-in of a ready workspace queues nothing.
    await app.resolveIdentity(identity);
    expect(await provisionJobs(tenantId)).toHaveLength(0);
  });

  it("a retry replaces the failed job so it runs now, and the worker finishes it", async () => {
    expectErrorLogs(/Failed task \d+ \(provision_tenant.*Simulated failure \(fault injection\)/);
    const identity = newIdentity("retry");
    const actor = { sub: identity.sub, email: identity.email };
    standIns.odoo.faults.failNext({ model: "res.partner", method: "search", error: "ValidationError" });
    const { tenant } = await app.resolveIdentity(identity);
    worker = await app.startWorker();

    const failedJob = await waitFor(
      async () => {
        const [job] = await provisionJobs(tenant!.id);
        return job && job.attempts === 1 && job.last_error && !job.locked_at ? job : null;
      },
      { what: "the first attempt to fail" },
    );
    expect(failedJob.last_error).toMatch(/ValidationError/);
    // graphile-worker backs off before trying again by itself.
    expect(failedJob.run_at.getTime()).toBeGreaterThan(Date.now());
    expect(await app.provisioningStatus(tenant!.id)).toMatchObject({ status: "error", phase: "seeding" });

    await worker.stop();
    worker = undefined;
    await app.requestProvisioning(tenant!.id, actor, { mode: "retry" });
    const [replaced, ...others] = await provisionJobs(tenant!.id);
    expect(others).toEqual([]);
    expect(replaced).toMatchObject({ id: failedJob.id, attempts: 0, last_error: null });
    expect(replaced!.run_at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await app.provisioningStatus(tenant!.id)).toMatchObject({ status: "provisioning", phase: "seeding", error: null });

    worker = await app.startWorker();
    const status = await waitFor(() => readyStatus(tenant!.id), { what: "the retried workspace to be ready" });
    expect(status.attempts).toBe(2);
    expect(companiesNamed(tenant!.name)).toHaveLength(1);
    expect(
      standIns.odoo.state
        .database("platform")
        .records("res.partner")
        .filter((p) => p.ref === `nexius-smoke:${tenant!.slug}`),
    ).toHaveLength(1);
  });
});
