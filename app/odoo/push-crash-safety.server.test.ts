import { describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { OPERATOR, pushQueries, setUpPushTenant } from "../../tests/support/lead-push-context";
import { createTenantWithOdoo, plainLeads, seedRun } from "../../tests/support/lead-push-fixtures";
import { applyRunPush, planRunPush } from "./lead-push.server";
import { OdooPushFailedError } from "./push-errors.server";

const ctx = setUpPushTenant();
const { partnersOf, companiesOf, expectNoDuplicates } = pushQueries(ctx);

describe("crash safety", () => {
  it("a lost answer to a committed create re-plans the batch instead of creating twice", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, plainLeads(4, "L"));
    ctx.sim.faults.failNext({ method: "create", model: "res.partner", error: "network", applied: true });
    ctx.sim.faults.failNext({ method: "create", model: "res.partner", skip: 2, error: "http500", applied: true });
    const result = await applyRunPush(ctx.tenant.tenantId, runId, undefined, { batchSize: 2 });
    expect(result.status).toBe("applied");
    expect(result.errors).toBe(2);
    expect(companiesOf(ctx.tenant.companyId)).toHaveLength(4);
    expect(partnersOf(ctx.tenant.companyId).filter((p) => p.parent_id)).toHaveLength(4);
    expectNoDuplicates(ctx.tenant.companyId);
    const retried = await db.$withTenant(ctx.tenant.tenantId, (tx) => tx.runEventLog.count({ where: { runId, event: "batch_retried" } }));
    expect(retried).toBe(2);
    const usage = await platformDb.runVendorUsage.findFirstOrThrow({ where: { tenantId: ctx.tenant.tenantId, runId } });
    expect(usage.errors).toBe(2);
  });

  it("after a crash at any Odoo call, running the push again converges with no duplicate partners", async () => {
    const leads = plainLeads(3, "C");
    // A clean push to count its calls: each position below is where a crash happens.
    const probe = await createTenantWithOdoo(ctx.sim, ctx.admin);
    const probeRun = await seedRun(probe.tenantId, leads);
    ctx.sim.state.resetCalls();
    await applyRunPush(probe.tenantId, probeRun, undefined, { batchSize: 2 });
    const objectCalls = ctx.sim.state.countCalls({ service: "object" });
    // Two batches of: partner read, country read, company create, contact create.
    expect(objectCalls).toBe(8);

    for (let k = 0; k < objectCalls; k++) {
      for (const applied of [true, false]) {
        const t = await createTenantWithOdoo(ctx.sim, ctx.admin);
        const runId = await seedRun(t.tenantId, leads);
        // `times` covers the client's own retries of reads: the process is "down" for this call.
        ctx.sim.faults.failNext({ service: "object", skip: k, times: 3, error: "network", applied });
        await expect(applyRunPush(t.tenantId, runId, undefined, { batchSize: 2, maxBatchAttempts: 1 })).rejects.toBeInstanceOf(OdooPushFailedError);
        ctx.sim.faults.clear();
        const rerun = await applyRunPush(t.tenantId, runId, undefined, { batchSize: 2 });
        expect(rerun.status).toBe("applied");
        expect(
          companiesOf(t.companyId)
            .map((p) => p.ref)
            .sort(),
        ).toEqual(leads.map((l) => l.uen).sort());
        expect(partnersOf(t.companyId).filter((p) => p.parent_id)).toHaveLength(3);
        expectNoDuplicates(t.companyId);
        const check = await planRunPush(t.tenantId, runId, { recheck: true });
        expect([check.companies.create, check.companies.update, check.contacts.create, check.contacts.update].flat()).toEqual([]);
      }
    }
  });

  it("two pushes of one tenant at once (a queued job and an approval) take turns instead of both creating", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, plainLeads(3, "P"));
    ctx.sim.faults.setLatency(10);
    try {
      const results = await Promise.all([applyRunPush(ctx.tenant.tenantId, runId), applyRunPush(ctx.tenant.tenantId, runId, OPERATOR)]);
      expect(results.map((r) => [r.companies.created, r.companies.skipped]).sort()).toEqual([
        [0, 3],
        [3, 0],
      ]);
    } finally {
      ctx.sim.faults.setLatency(0);
    }
    expect(companiesOf(ctx.tenant.companyId)).toHaveLength(3);
    expectNoDuplicates(ctx.tenant.companyId);
  });

  it("a crash after Odoo committed but before the links were saved loses nothing", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, plainLeads(3, "K"));
    await applyRunPush(ctx.tenant.tenantId, runId);
    const before = partnersOf(ctx.tenant.companyId)
      .map((p) => p.id)
      .sort();
    await platformDb.odooPartnerLink.deleteMany({ where: { tenantId: ctx.tenant.tenantId } });
    const rerun = await applyRunPush(ctx.tenant.tenantId, runId);
    expect(rerun.companies).toMatchObject({ created: 0, unchanged: 3 });
    expect(
      partnersOf(ctx.tenant.companyId)
        .map((p) => p.id)
        .sort(),
    ).toEqual(before);
    expect(await platformDb.odooPartnerLink.count({ where: { tenantId: ctx.tenant.tenantId } })).toBe(3);
  });

  it("Odoo refusing one batch fails that batch only; the next push completes it", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, plainLeads(4, "V"));
    ctx.sim.faults.failNext({ method: "create", model: "res.partner", skip: 2, error: "ValidationError" });
    const result = await applyRunPush(ctx.tenant.tenantId, runId, undefined, { batchSize: 2 });
    expect(result).toMatchObject({ status: "partial", companies: { created: 2, failed: 2 } });
    const events = await db.$withTenant(ctx.tenant.tenantId, (tx) => tx.runEventLog.findMany({ where: { runId }, orderBy: { id: "asc" } }));
    expect(events.map((e) => e.event)).toEqual(["started", "batch_applied", "batch_failed", "finished"]);
    expect(events[2]!.message).toMatch(/ValidationError: Simulated failure/);
    expect(events[3]!.status).toBe("error");

    const rerun = await applyRunPush(ctx.tenant.tenantId, runId, undefined, { batchSize: 2 });
    expect(rerun).toMatchObject({ status: "applied", companies: { skipped: 2, created: 2 } });
    expectNoDuplicates(ctx.tenant.companyId);
  });

  it("Odoo staying unreachable stops the push with a retryable error, recorded in events and usage", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, plainLeads(2, "D"));
    ctx.sim.faults.failNext({ service: "object", method: "create", error: "http500", times: 10 });
    await expect(applyRunPush(ctx.tenant.tenantId, runId, undefined, { maxBatchAttempts: 2 })).rejects.toBeInstanceOf(OdooPushFailedError);
    const events = await db.$withTenant(ctx.tenant.tenantId, (tx) => tx.runEventLog.findMany({ where: { runId }, orderBy: { id: "asc" } }));
    expect(events.map((e) => [e.event, e.status])).toEqual([
      ["started", "info"],
      ["batch_retried", "error"],
      ["failed", "error"],
    ]);
    expect(events[2]!.message).toMatch(/odoo http 500/);
    const usage = await platformDb.runVendorUsage.findFirstOrThrow({ where: { tenantId: ctx.tenant.tenantId, runId } });
    expect(usage.errors).toBe(2);
    expect(companiesOf(ctx.tenant.companyId)).toHaveLength(0);
  });
});

// ---------------------------------------------------------------- push modes and the task
