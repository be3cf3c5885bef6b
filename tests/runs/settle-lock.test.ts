import { describe, expect, it } from "vitest";

/**
 * Settling a company locks the run row against other settling jobs only: a
 * job that is writing the run's step log (whose foreign key holds the run row
 * FOR KEY SHARE until it commits) does not hold it up, and the two don't
 * serialise the run's jobs behind each other.
 */
describe("settling a company", () => {
  it("goes ahead while another job's step log of the run is not yet committed", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { settle } = await import("~/runs/company-job.server");
    const { logStep } = await import("~/runs/run-log.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "settle-lock", name: "settle-lock", status: "active" } });
    const run = await db.$withTenant(tenant.id, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-05"), targetCount: 2 } });
      await tx.runCompany.create({ data: { runId: run.id, uen: "201300001A", status: "done" } });
      await tx.runCompany.create({ data: { runId: run.id, uen: "201300002B", status: "running" } });
      return run;
    });

    let releaseLog!: () => void;
    const logHeld = new Promise<void>((resolve) => (releaseLog = resolve));
    let logWritten!: () => void;
    const written = new Promise<void>((resolve) => (logWritten = resolve));
    // Another job's transaction: its step log is inserted, not yet committed.
    const otherJob = db.$withTenant(tenant.id, async (tx) => {
      await logStep(tx, { runId: run.id, uen: "201300002B", stage: "crawl", event: "page", status: "ok" });
      logWritten();
      await logHeld;
    });
    await written;

    const order: string[] = [];
    const settling = settle(tenant.id, run.id, 1).then(() => order.push("settled"));
    // Either settle finishes, or Postgres shows it waiting on a lock: whichever comes first.
    for (;;) {
      if (order.length > 0) break;
      const waiting = await platformDb.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND (query LIKE '%FROM runs WHERE id%' OR query LIKE '%settle_run%')`;
      if (waiting[0]!.n > 0) {
        order.push("waited for the step log");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    releaseLog();
    await Promise.all([otherJob, settling]);

    expect(order[0]).toBe("settled");
    const settled = await db.$withTenant(tenant.id, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: run.id } } }));
    expect(settled.settledCount).toBe(1);
  });
});
