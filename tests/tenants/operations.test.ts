import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * Lifecycle operations as first-class rows run by a job: pause, resume and
 * rebuild step by step, a failed step marking the tenant `error` with the step,
 * its log and a runbook, and a re-run resuming at that step.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
let ops: string;

async function loadApp() {
  const [db, identity, provisioning, operations, appLayout, sweep] = await Promise.all([
    import("~/db.server"),
    import("~/auth/identity.server"),
    import("~/tenants/provisioning.server"),
    import("~/tenants/operations.server"),
    import("~/routes/app+/_layout"),
    import("~/runs/nightly-sweep.server"),
  ]);
  return {
    platformDb: db.platformDb,
    resolveIdentity: identity.resolveIdentity,
    runProvisioning: provisioning.runProvisioning,
    ...operations,
    appLayout: appLayout.loader,
    sweep,
  };
}

const owner = { sub: "owner-sub", email: "owner@example.test" };

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  const resolved = await app.resolveIdentity({ sub: "acme-admin-sub", email: "admin@acme.test", email_verified: true, tenant_id: "acme", roles: ["admin"] });
  acme = resolved.tenant!;
  await app.runProvisioning(acme.id, { sub: "acme-admin-sub", email: "admin@acme.test" });
  ops = (await memberCookie("acme-ops", ["ops"], acme.id)).cookie;
  // A rebuild links every member's Odoo user, which needs an address the IdP verified.
  await app.platformDb.user.update({ where: { sub: "acme-ops-sub" }, data: { emailVerified: true } });
});

afterEach(() => standIns.odoo.faults.clear());
afterAll(async () => {
  await standIns?.stop();
});

const statusOf = async (id: string) => (await app.platformDb.tenant.findUniqueOrThrow({ where: { id } })).status;
const operation = (id: string) => app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id } });

async function jobsFor(operationId: string) {
  return app.platformDb.$queryRaw<Array<{ task: string; queue: string | null }>>`
    SELECT t.identifier AS task, q.queue_name AS queue FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
    WHERE j.key = ${`operation:${operationId}`}`;
}

async function requested(type: "pause" | "resume" | "rebuild") {
  const result = await app.requestOperation(acme.id, { type, source: "ui", actor: owner });
  if (!result.ok) throw new Error(result.reason);
  return result.operationId;
}

describe("pause and resume as operations", () => {
  it("queues a job for the operation, runs it step by step, and the paused workspace refuses its users until it resumes", async () => {
    const pauseId = await requested("pause");
    expect(await jobsFor(pauseId)).toEqual([{ task: "run_tenant_operation", queue: `tenant-operations:${acme.id}` }]);
    expect(await operation(pauseId)).toMatchObject({
      status: "queued",
      type: "pause",
      triggerSource: "ui",
      actorEmail: owner.email,
      payload: { statusBefore: "active" },
    });
    expect(await statusOf(acme.id)).toBe("active");

    // A second operation waits for the first to finish.
    expect(await app.requestOperation(acme.id, { type: "rebuild", source: "api", actor: owner })).toMatchObject({ ok: false, status: 409 });

    await app.runOperation(pauseId);
    const paused = await operation(pauseId);
    expect(paused).toMatchObject({ status: "succeeded", stepsDone: ["close_workspace"], attempts: 1, failedStep: null });
    expect(paused.startedAt).not.toBeNull();
    expect(paused.finishedAt).not.toBeNull();
    expect((paused.logs as Array<{ message: string }>).map((l) => l.message)).toEqual([
      "pause requested from ui by owner@example.test",
      "started",
      expect.stringMatching(/^workspace paused/),
      "pause finished",
    ]);
    expect(await statusOf(acme.id)).toBe("paused");
    expect((await invoke(app.appLayout, appRequest("/app", { cookie: ops }))).status).toBe(423);
    // The nightly sweep passes it by.
    const due = await app.platformDb.$queryRaw<Array<{ id: string }>>`SELECT id FROM tenants WHERE status = 'active' AND id = ${acme.id}::uuid`;
    expect(due).toEqual([]);

    // A finished operation's job running again (at least once delivery) does nothing.
    await app.runOperation(pauseId);
    expect((await operation(pauseId)).attempts).toBe(1);

    expect(await app.requestOperation(acme.id, { type: "pause", source: "ui", actor: owner })).toEqual({
      ok: false,
      status: 409,
      reason: "A pause needs a workspace that is active or error; this one is paused.",
    });
    const resumeId = await requested("resume");
    await app.runOperation(resumeId);
    expect(await operation(resumeId)).toMatchObject({ status: "succeeded", stepsDone: ["verify_odoo", "reopen_workspace"] });
    expect(await statusOf(acme.id)).toBe("active");
    expect((await invoke(app.appLayout, appRequest("/app", { cookie: ops }))).status).toBe(200);
    const actions = (await app.platformDb.auditLog.findMany({ where: { tenantId: acme.id, action: { startsWith: "tenant." } }, select: { action: true } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["tenant.paused", "tenant.resumed"]));
  });

  it("marks the tenant error with the failing step, its log and a runbook when a step fails, and a re-run resumes at that step", async () => {
    const pauseId = await requested("pause");
    await app.runOperation(pauseId);
    const resumeId = await requested("resume");
    standIns.odoo.faults.failNext({ service: "common", method: "authenticate", error: "AccessDenied" });
    await app.runOperation(resumeId);
    const failed = await operation(resumeId);
    expect(failed).toMatchObject({
      status: "failed",
      failedStep: "verify_odoo",
      stepsDone: [],
      error: expect.stringMatching(/^Odoo check failed: Odoo refused/),
    });
    expect((failed.logs as Array<{ level: string; message: string }>).at(-1)).toMatchObject({
      level: "error",
      message: expect.stringContaining("runbook: /support#verify_odoo"),
    });
    expect(await statusOf(acme.id)).toBe("error");
    const { db } = await import("~/db.server");
    const alerts = await db.$withTenant(acme.id, (tx) => tx.alert.findMany({ where: { kind: "operation_failed", resolvedAt: null } }));
    expect(alerts).toMatchObject([{ severity: "critical", message: expect.stringMatching(/^resume failed at verify_odoo: Odoo check failed/) }]);
    // Still refused: a workspace in error is not open to its users.
    expect((await invoke(app.appLayout, appRequest("/app", { cookie: ops }))).status).not.toBe(200);

    expect(await app.rerunOperation(pauseId, owner, "ui")).toMatchObject({ ok: false, status: 409 });
    expect(await app.rerunOperation(resumeId, owner, "ui")).toEqual({ ok: true, operationId: resumeId });
    expect(await operation(resumeId)).toMatchObject({ status: "queued", failedStep: null, error: null });
    await app.runOperation(resumeId);
    expect(await operation(resumeId)).toMatchObject({ status: "succeeded", stepsDone: ["verify_odoo", "reopen_workspace"], attempts: 2 });
    expect(await statusOf(acme.id)).toBe("active");
  });
});

describe("rebuild", () => {
  it("re-runs provisioning against Odoo without creating anything twice, and leaves the workspace as it was", async () => {
    const companies = async () => {
      const { adminSessionFor } = await import("~/tenants/provisioning.server");
      const { admin } = await adminSessionFor(acme.id);
      return admin.searchCount("res.company", []);
    };
    const before = await companies();
    const id = await requested("rebuild");
    await app.runOperation(id);
    expect(await operation(id)).toMatchObject({
      status: "succeeded",
      stepsDone: ["starting", "creating_odoo", "configuring_oidc", "seeding", "restore_status"],
    });
    expect(await companies()).toBe(before);
    expect(await statusOf(acme.id)).toBe("active");
  });

  it("repairs a workspace in error once Odoo answers again, resuming at the failed phase", async () => {
    const id = await requested("rebuild");
    standIns.odoo.faults.failNext({ service: "common", method: "authenticate", error: "AccessDenied", times: 5 });
    await app.runOperation(id);
    const failed = await operation(id);
    expect(failed).toMatchObject({
      status: "failed",
      stepsDone: ["starting"],
      failedStep: "creating_odoo",
      error: expect.stringMatching(/^Creating the Odoo workspace failed/),
    });
    expect(await statusOf(acme.id)).toBe("error");
    standIns.odoo.faults.clear();
    await app.rerunOperation(id, owner, "api");
    await app.runOperation(id);
    expect(await operation(id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(await statusOf(acme.id)).toBe("active");
  });
});
