import { describe, expect, it } from "vitest";
import { lastCallAgo, runWith, verificationState as state } from "../support/verification-run";
import { zeroBounceSimulatorForFile } from "../support/zerobounce-env";

/**
 * A run spends ZeroBounce's five batch calls a minute at their pace: while
 * companies are still being enriched, the verification job calls once the
 * run's last call is 12.5 s old (not when the oldest address has waited 45 s),
 * sends everything pending in as few 200-address calls as possible, and puts
 * the verified companies' score jobs on the queue.
 */
const zeroBounce = zeroBounceSimulatorForFile("zb-key");

describe("the pace of verification calls", () => {
  it("is due with a full batch, with nothing left to enrich, or a spacing after the last call — never with nothing pending", async () => {
    const { addressesDue, VERIFY_CALL_SPACING_MS } = await import("~/runs/company-job.server");
    expect(VERIFY_CALL_SPACING_MS).toBeGreaterThanOrEqual(62_000 / 5);
    // A small run: 40 companies still enriching at one address each are less than a window of calls.
    const small = { oldestWaitMs: 1_000, enriching: 40, enriched: 30, sent: 0 };
    expect(addressesDue({ ...small, pending: 0, enriching: 0, sinceLastCallMs: null })).toBe(0);
    expect(addressesDue({ ...small, pending: 30, sinceLastCallMs: null })).toBe(30);
    expect(addressesDue({ ...small, pending: 30, sinceLastCallMs: 3_000 })).toBe(0);
    expect(addressesDue({ ...small, pending: 30, sinceLastCallMs: VERIFY_CALL_SPACING_MS })).toBe(30);
    expect(addressesDue({ ...small, pending: 250, sinceLastCallMs: 3_000 })).toBe(250);
    expect(addressesDue({ ...small, pending: 3, enriching: 0, sinceLastCallMs: 3_000 })).toBe(3);
  });

  it("sends only whole batches while the run's work ahead needs more than a window of calls, unless an address has waited a minute", async () => {
    const { addressesDue, VERIFY_MAX_HOLD_MS } = await import("~/runs/company-job.server");
    // 4,000 companies still enriching at 1.1 addresses each (110 queued by 100 companies): 4,510 addresses ahead.
    const large = { enriching: 4_000, enriched: 100, sent: 0, sinceLastCallMs: null };
    expect(addressesDue({ ...large, pending: 110, oldestWaitMs: 20_000 })).toBe(0);
    expect(addressesDue({ ...large, pending: 450, oldestWaitMs: 20_000, sent: 0 })).toBe(400);
    expect(addressesDue({ ...large, pending: 110, oldestWaitMs: VERIFY_MAX_HOLD_MS })).toBe(110);
    // The same 110 addresses when the run's companies queue few: 4,000 × (200 sent + 110) / 3,000 enriched is 413 ahead.
    expect(addressesDue({ ...large, pending: 110, oldestWaitMs: 20_000, enriched: 3_000, sent: 200, sinceLastCallMs: 30_000 })).toBe(110);
    // The last companies: nothing left to enrich, everything goes.
    expect(addressesDue({ ...large, pending: 110, oldestWaitMs: 20_000, enriching: 0 })).toBe(110);
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
    // A pass takes the calls that leave the client's 62-s window within 10 s; they wait in the client for their slots.
    expect(verificationRoom([3_000, 15_000, 27_000, 39_000, 45_000])).toEqual({ calls: 0, inMs: 7_000 });
    expect(verificationRoom([3_000, 15_000, 27_000, 53_000, 58_000])).toEqual({ calls: 2, inMs: 0 });

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
