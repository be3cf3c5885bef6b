import { describe, expect, it } from "vitest";
import { zeroBounceSimulatorForFile } from "../support/zerobounce-env";

/**
 * One verification pass takes the addresses pending when it starts, at most a
 * window's worth (five calls of 200): it hands the companies it verified to
 * scoring and leaves the rest to the next pass, which it queues, instead of
 * calling on for as long as addresses keep coming.
 */
const zeroBounce = zeroBounceSimulatorForFile("zb-backlog-key");

describe("a verification pass over a backlog", () => {
  it("verifies 1,000 of 1,050 pending addresses in five calls, queues the verified companies' scoring and the next pass", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { runVerifyEmailsJob } = await import("~/runs/company-job.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "verify-backlog", name: "verify-backlog", status: "active" } });
    // Seven companies of 150 addresses each, nothing left to enrich: the pass is due at once.
    const uens = Array.from({ length: 7 }, (_, i) => `2012${String(i).padStart(5, "0")}B`);
    const run = await db.$withTenant(tenant.id, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-05"), targetCount: uens.length } });
      for (const [i, uen] of uens.entries()) {
        await tx.runCompany.create({ data: { runId: run.id, uen, status: "awaiting_verification", updatedAt: new Date(Date.now() - (10 - i) * 1000) } });
      }
      await tx.leadEmail.createMany({
        data: uens.flatMap((uen) => Array.from({ length: 150 }, (_, j) => ({ uen, email: `person${j}@c${uen.toLowerCase()}.sg`, source: "website" }))),
      });
      return run;
    });

    await runVerifyEmailsJob(tenant.id, run.id);

    expect(zeroBounce().batchCalls).toHaveLength(5);
    const pendingBy = await db.$withTenant(tenant.id, (tx) =>
      tx.leadEmail.groupBy({ by: ["uen"], where: { verificationStatus: "pending" }, _count: { _all: true }, orderBy: { uen: "asc" } }),
    );
    // The companies waiting longest went first: 50 of the last one's addresses wait for the next pass.
    expect(pendingBy.map((p) => [p.uen, p._count._all])).toEqual([[uens[6], 50]]);
    const jobs = await platformDb.$queryRaw<Array<{ task: string; n: number }>>`
      SELECT t.identifier AS task, count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE j.payload->>'runId' = ${run.id} GROUP BY 1 ORDER BY 1`;
    expect(jobs).toEqual([
      { task: "score_company", n: 6 },
      { task: "verify_run_emails", n: 1 },
    ]);
  });
});
