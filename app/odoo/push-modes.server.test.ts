import { type JobHelpers } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { platformDb } from "~/db.server";
import { toGraphileTask } from "~/jobs/define-task.server";
import pushRunToOdoo from "../../tasks/push_run_to_odoo";
import { expectErrorLogs } from "../../tests/support/error-logs";
import { OPERATOR, codigo, kopi, pushQueries, setUpPushTenant } from "../../tests/support/lead-push-context";
import { seedRun } from "../../tests/support/lead-push-fixtures";
import { applyRunPush, approveRunPush, planRunPush, requestRunPush, runPushJobKey } from "./lead-push.server";
import { pushModeOf, setPushMode } from "./push-mode.server";

const ctx = setUpPushTenant();
const { companiesOf, writes, expectNoDuplicates } = pushQueries(ctx);

describe("push modes", () => {
  it("on_approval writes nothing until an operator approves, then applies once and audits once", async () => {
    expect(await pushModeOf(ctx.tenant.tenantId)).toBe("after_run");
    await setPushMode(ctx.tenant.tenantId, "on_approval", OPERATOR);
    expect(await pushModeOf(ctx.tenant.tenantId)).toBe("on_approval");
    const runId = await seedRun(ctx.tenant.tenantId, [codigo, kopi]);

    expect(await requestRunPush(ctx.tenant.tenantId, runId)).toBe("awaiting_approval");
    expect(await platformDb.$queryRaw`SELECT 1 FROM graphile_worker.jobs WHERE key = ${runPushJobKey(runId)}`).toEqual([]);
    const waiting = await applyRunPush(ctx.tenant.tenantId, runId);
    expect(waiting.status).toBe("awaiting_approval");
    expect(writes()).toBe(0);
    expect(companiesOf(ctx.tenant.companyId)).toHaveLength(0);

    const dry = await planRunPush(ctx.tenant.tenantId, runId);
    expect(dry).toMatchObject({ mode: "on_approval", approved: false });
    expect(dry.companies.create).toHaveLength(2);

    const approved = await approveRunPush(ctx.tenant.tenantId, runId, OPERATOR);
    expect(approved).toMatchObject({ status: "applied", companies: { created: 2 } });
    expect(await approveRunPush(ctx.tenant.tenantId, runId, OPERATOR)).toMatchObject({ status: "applied", companies: { skipped: 2 } });
    const audit = await platformDb.auditLog.findMany({ where: { tenantId: ctx.tenant.tenantId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.target, a.actorEmail])).toEqual([
      ["settings.odoo_push_mode_changed", null, OPERATOR.email],
      ["odoo_push.approved", runId, OPERATOR.email],
    ]);
    expect((await planRunPush(ctx.tenant.tenantId, runId)).approved).toBe(true);
    expectNoDuplicates(ctx.tenant.companyId);
  });

  it("after_run queues one push job per run under its job key", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, [codigo]);
    expect(await requestRunPush(ctx.tenant.tenantId, runId)).toBe("queued");
    expect(await requestRunPush(ctx.tenant.tenantId, runId)).toBe("queued");
    const jobs = await platformDb.$queryRaw<Array<{ task_identifier: string; payload: unknown; queue_name: string | null }>>`
      SELECT t.identifier AS task_identifier, j.payload, q.queue_name
      FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
      WHERE j.key = ${runPushJobKey(runId)}`;
    expect(jobs).toEqual([
      { task_identifier: "push_run_to_odoo", payload: { tenantId: ctx.tenant.tenantId, runId }, queue_name: `odoo-push:${ctx.tenant.tenantId}` },
    ]);
    expect(writes()).toBe(0);
  });

  it("the push_run_to_odoo task applies, approves when told, and rejects bad payloads", async () => {
    expectErrorLogs(/rejecting job: tenantId Invalid UUID/);
    const helpers = { job: { id: "1", attempts: 1 } } as unknown as JobHelpers;
    const runId = await seedRun(ctx.tenant.tenantId, [codigo]);
    await pushRunToOdoo.run(pushRunToOdoo.schema.parse({ tenantId: ctx.tenant.tenantId, runId }), helpers);
    expect(companiesOf(ctx.tenant.companyId)).toHaveLength(1);

    await setPushMode(ctx.tenant.tenantId, "on_approval", OPERATOR);
    const second = await seedRun(ctx.tenant.tenantId, [kopi]);
    await pushRunToOdoo.run(pushRunToOdoo.schema.parse({ tenantId: ctx.tenant.tenantId, runId: second }), helpers);
    expect(companiesOf(ctx.tenant.companyId)).toHaveLength(1);
    await pushRunToOdoo.run(pushRunToOdoo.schema.parse({ tenantId: ctx.tenant.tenantId, runId: second, approvedBy: OPERATOR }), helpers);
    expect(
      companiesOf(ctx.tenant.companyId)
        .map((p) => p.ref)
        .sort(),
    ).toEqual(["201912345A", "53312345K"]);

    await expect(toGraphileTask(pushRunToOdoo)({ tenantId: "nope", runId }, helpers)).rejects.toThrow(/Invalid payload for push_run_to_odoo/);
    expect(pushRunToOdoo.name).toBe("push_run_to_odoo");
  });
});
