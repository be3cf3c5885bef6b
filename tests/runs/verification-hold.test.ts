import { describe, expect, it } from "vitest";
import { lastCallAgo, runWith, verificationState } from "../support/verification-run";
import { zeroBounceSimulatorForFile } from "../support/zerobounce-env";

/**
 * In a run whose companies still to enrich need more than ZeroBounce's window
 * of calls (5 a minute), a part-filled call would take a slot a full one needs
 * later: the verification job sends whole batches only, until an address has
 * waited a minute. (A file of its own: its calls need the key's window.)
 */
const zeroBounce = zeroBounceSimulatorForFile("zb-hold-key");

describe("verification in a large run", () => {
  it("holds a part-filled call in a run with thousands of companies still enriching, and sends whole batches", async () => {
    const { runVerifyEmailsJob } = await import("~/runs/company-job.server");
    // 70 companies with 5 addresses each wait, 1,500 are still enriching: about 7,900 addresses ahead.
    const { tenantId, runId, uens } = await runWith("verify-hold", 70, 5, 1_500);
    const callsBefore = zeroBounce().batchCalls.length;
    await runVerifyEmailsJob(tenantId, runId);
    // 350 pending: one full call (the first 40 companies' addresses), and the part-filled rest waits.
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(1);
    const after = await verificationState(tenantId, runId);
    expect(after.pending).toBe(150);
    expect(after.jobs.filter((j) => j.task === "score_company").map((j) => j.key)).toEqual(
      uens
        .slice(0, 40)
        .map((uen) => `run:${runId}:${uen}:score`)
        .sort(),
    );
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(1);

    // Once the oldest of them has waited a minute, they go in a part-filled call, at the usual spacing after the last one.
    const { db } = await import("~/db.server");
    await db.$withTenant(tenantId, (tx) =>
      tx.runCompany.updateMany({ where: { runId, status: "awaiting_verification" }, data: { updatedAt: new Date(Date.now() - 61_000) } }),
    );
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(1);
    await lastCallAgo(tenantId, runId, 13_000);
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(2);
    expect((await verificationState(tenantId, runId)).pending).toBe(0);
    const usage = await db.$withTenant(tenantId, (tx) => tx.runVendorUsage.findMany({ where: { runId }, select: { vendor: true, calls: true, units: true } }));
    expect(usage).toEqual([{ vendor: "zerobounce", calls: 2, units: 350 }]);
  });
});
