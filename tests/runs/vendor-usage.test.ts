import { describe, expect, it, vi } from "vitest";

/**
 * A run's jobs all add to the same usage row per vendor. Increments that
 * arrive while one is being written are written together in the next
 * transaction, not one transaction each queueing on the row lock; every
 * increment still counts, and each caller returns once its own is committed.
 */
describe("a run's vendor usage", () => {
  it("adds forty concurrent increments in two transactions, none lost", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { recordVendorUsage } = await import("~/runs/vendor-calls.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "usage-merge", name: "usage-merge", status: "active" } });
    const run = await db.$withTenant(tenant.id, (tx) =>
      tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-05"), targetCount: 40 } }),
    );
    const ref = { tenantId: tenant.id, runId: run.id };
    const transactions = vi.spyOn(db, "$tenantWrite");

    await Promise.all(Array.from({ length: 40 }, (_, i) => recordVendorUsage(ref, "tavily", { calls: 1, units: 2, errors: i % 10 === 0 ? 1 : 0 })));

    // The first increment's statement, then one for the 39 that arrived while it was in flight.
    expect(transactions).toHaveBeenCalledTimes(2);
    transactions.mockRestore();
    const row = await db.$withTenant(tenant.id, (tx) => tx.runVendorUsage.findFirstOrThrow({ where: { runId: run.id, vendor: "tavily" } }));
    expect(row).toMatchObject({ calls: 40, units: 80, errors: 4, cacheHits: 0 });
    expect(row.costUsd).toBeCloseTo(80 * 0.008, 6);

    // Each caller returns after its increment is committed: one more after the burst is there at once.
    await recordVendorUsage(ref, "tavily", { calls: 1, units: 1 });
    expect(await db.$withTenant(tenant.id, (tx) => tx.runVendorUsage.findFirstOrThrow({ where: { runId: run.id, vendor: "tavily" } }))).toMatchObject({
      calls: 41,
      units: 81,
    });
  });
});
