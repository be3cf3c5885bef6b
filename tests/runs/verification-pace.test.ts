import { describe, expect, it } from "vitest";
import { zeroBounceSimulatorForFile } from "../support/zerobounce-env";

/**
 * A run spends ZeroBounce's five batch calls a minute at their pace: while
 * companies are still being enriched, the verification job calls once the
 * run's last call is 12.5 s old (not when the oldest address has waited 45 s),
 * sends everything pending in as few 200-address calls as possible, and puts
 * the verified companies' score jobs on the queue.
 */
const zeroBounce = zeroBounceSimulatorForFile("zb-key");

/** A run with `waiting` companies awaiting verification (each with `perCompany` fresh addresses) and `enriching` still running. */
async function runWith(slug: string, waiting: number, perCompany: number, enriching: number) {
  const { db, platformDb } = await import("~/db.server");
  const tenant = await platformDb.tenant.create({ data: { slug, name: slug, status: "active" } });
  const uens = Array.from({ length: waiting + enriching }, (_, i) => `2011${String(i).padStart(5, "0")}A`);
  const run = await db.$withTenant(tenant.id, async (tx) => {
    const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-05"), targetCount: uens.length } });
    for (const [i, uen] of uens.entries()) {
      await tx.runCompany.create({ data: { runId: run.id, uen, status: i < waiting ? "awaiting_verification" : "running" } });
    }
    await tx.leadEmail.createMany({
      data: uens
        .slice(0, waiting)
        .flatMap((uen) => Array.from({ length: perCompany }, (_, j) => ({ uen, email: `person${j}@c${uen.toLowerCase()}.sg`, source: "website" }))),
    });
    return run;
  });
  return { tenantId: tenant.id, runId: run.id, uens: uens.slice(0, waiting) };
}

async function lastCallAgo(tenantId: string, runId: string, ms: number) {
  const { db } = await import("~/db.server");
  await db.$withTenant(tenantId, (tx) =>
    tx.runEventLog.create({ data: { runId, stage: "verify", event: "batch", status: "ok", createdAt: new Date(Date.now() - ms) } }),
  );
}

async function state(tenantId: string, runId: string) {
  const { db, platformDb } = await import("~/db.server");
  const pending = await db.$withTenant(tenantId, (tx) => tx.leadEmail.count({ where: { verificationStatus: "pending" } }));
  const jobs = await platformDb.$queryRaw<Array<{ task: string; key: string; priority: number }>>`
    SELECT t.identifier AS task, j.key, j.priority FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE j.payload->>'runId' = ${runId} ORDER BY t.identifier, j.key`;
  return { pending, jobs };
}

describe("the pace of verification calls", () => {
  it("is due with a full batch, with nothing left to enrich, or a spacing after the last call — never with nothing pending", async () => {
    const { verificationDue, VERIFY_CALL_SPACING_MS } = await import("~/runs/company-job.server");
    expect(VERIFY_CALL_SPACING_MS).toBeGreaterThanOrEqual(62_000 / 5);
    expect(verificationDue({ pending: 0, enriching: 0, sinceLastCallMs: null })).toBe(false);
    expect(verificationDue({ pending: 30, enriching: 40, sinceLastCallMs: null })).toBe(true);
    expect(verificationDue({ pending: 30, enriching: 40, sinceLastCallMs: 3_000 })).toBe(false);
    expect(verificationDue({ pending: 30, enriching: 40, sinceLastCallMs: VERIFY_CALL_SPACING_MS })).toBe(true);
    expect(verificationDue({ pending: 200, enriching: 40, sinceLastCallMs: 3_000 })).toBe(true);
    expect(verificationDue({ pending: 3, enriching: 0, sinceLastCallMs: 3_000 })).toBe(true);
  });

  it("waits while the last call is recent, then sends every pending address in one call and queues the companies' score jobs", async () => {
    const { runVerifyEmailsJob } = await import("~/runs/company-job.server");
    const { runJobPriority } = await import("~/runs/start-run.server");
    const { tenantId, runId, uens } = await runWith("verify-pace", 12, 2, 5);
    const callsBefore = zeroBounce().batchCalls.length;

    await lastCallAgo(tenantId, runId, 3_000);
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(0);
    // Not due: the job looks again shortly instead.
    expect(await state(tenantId, runId)).toEqual({
      pending: 24,
      jobs: [{ task: "verify_run_emails", key: `run:${runId}:verify`, priority: runJobPriority("manual", "verify") }],
    });

    // Companies that have waited only seconds, five still enriching: the call is due because the last one is 13 s old.
    await lastCallAgo(tenantId, runId, 13_000);
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(1);
    const after = await state(tenantId, runId);
    expect(after.pending).toBe(0);
    expect(after.jobs.filter((j) => j.task === "score_company")).toEqual(
      uens
        .map((uen) => ({ task: "score_company", key: `run:${runId}:${uen}:score`, priority: runJobPriority("manual", "score") }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    );
  });

  it("counts addresses, not companies' rows: two companies sharing 150 addresses are not a full batch", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { runVerifyEmailsJob } = await import("~/runs/company-job.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "verify-shared-pace", name: "verify-shared-pace", status: "active" } });
    const shared = Array.from({ length: 150 }, (_, i) => ({ email: `person${i}@shared-site.sg`, source: "website" }));
    const run = await db.$withTenant(tenant.id, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-05"), targetCount: 3 } });
      for (const [i, uen] of ["201200001A", "201200002B", "201200003C"].entries()) {
        await tx.runCompany.create({ data: { runId: run.id, uen, status: i < 2 ? "awaiting_verification" : "running" } });
        if (i < 2) await tx.leadEmail.createMany({ data: shared.map((a) => ({ ...a, uen })) });
      }
      return run;
    });
    await lastCallAgo(tenant.id, run.id, 3_000);
    const callsBefore = zeroBounce().batchCalls.length;
    await runVerifyEmailsJob(tenant.id, run.id);
    // 300 rows but 150 addresses, a company still enriching and the last call 3 s old: not due, the job looks again.
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(0);
    expect((await state(tenant.id, run.id)).pending).toBe(300);
  });

  it("sends no more calls than the run's window has room for, and picks the addresses once it has room", async () => {
    const { runVerifyEmailsJob, verificationRoom } = await import("~/runs/company-job.server");
    expect(verificationRoom([])).toEqual({ calls: 5, inMs: 0 });
    expect(verificationRoom([3_000, 20_000, 40_000, 70_000, 90_000])).toEqual({ calls: 2, inMs: 0 });
    expect(verificationRoom([3_000, 15_000, 27_000, 39_000, 51_000])).toEqual({ calls: 0, inMs: 11_000 });

    // Four of the run's calls in the last minute and nothing left to enrich: 450 addresses get one call now, the rest a later pass.
    const { tenantId, runId, uens } = await runWith("verify-room", 3, 150, 0);
    for (const ago of [20_000, 30_000, 40_000, 50_000]) await lastCallAgo(tenantId, runId, ago);
    const callsBefore = zeroBounce().batchCalls.length;
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(1);
    const after = await state(tenantId, runId);
    expect(after.pending).toBe(250);
    // The first company's 150 addresses were in that call: it is scored.
    expect(after.jobs.map((j) => [j.task, j.key])).toEqual([
      ["score_company", `run:${runId}:${uens[0]}:score`],
      ["verify_run_emails", `run:${runId}:verify`],
    ]);

    // Now five in the window: the pass picks nothing and looks again when the oldest of them leaves it.
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(1);
    expect((await state(tenantId, runId)).pending).toBe(250);
  });

  it("sends 450 pending addresses in three calls", async () => {
    const { runVerifyEmailsJob } = await import("~/runs/company-job.server");
    const { tenantId, runId } = await runWith("verify-full", 3, 150, 0);
    const callsBefore = zeroBounce().batchCalls.length;
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(3);
    expect((await state(tenantId, runId)).pending).toBe(0);
  });
});
