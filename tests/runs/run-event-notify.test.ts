import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { logStep } from "~/runs/run-log.server";

/**
 * Live-progress notifications are batched: one per statement and run, and
 * Postgres folds a transaction's identical ones into one, so a commit that
 * logs many steps takes the cluster-wide notify lock with one notification
 * per run, not one per step. Counted on a real LISTEN connection; a sentinel
 * notification sent after the commits marks the end (notifications arrive in
 * commit order).
 */
let listener: pg.Client;
const heard: string[] = [];
let sentinelHeard: () => void = () => {};

beforeAll(async () => {
  listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await listener.connect();
  listener.on("notification", (message) => {
    if (message.payload === "sentinel") sentinelHeard();
    else heard.push(message.payload ?? "");
  });
  await listener.query("LISTEN run_events");
});
afterAll(() => listener.end());

/** Everything notified by commits made before this call. */
async function drain(): Promise<Array<{ tenant_id: string; run_id: string }>> {
  const arrived = new Promise<void>((resolve) => (sentinelHeard = resolve));
  await platformDb.$executeRawUnsafe("NOTIFY run_events, 'sentinel'");
  await arrived;
  return heard.splice(0).map((p) => JSON.parse(p) as { tenant_id: string; run_id: string });
}

async function twoRuns() {
  const tenantId = (await platformDb.tenant.create({ data: { slug: `notify-${Date.now()}`, name: "Notify", status: "active" } })).id;
  // One full run may be active per tenant: the other is a finished one.
  const [a, b] = await db.$withTenant(tenantId, (tx) =>
    Promise.all(
      (["running", "succeeded"] as const).map((status) => tx.run.create({ data: { kind: "manual", status, runDate: new Date("2026-12-10"), targetCount: 3 } })),
    ),
  );
  await drain();
  return { tenantId, a: a!.id, b: b!.id };
}

describe("run event notifications", () => {
  it("sends one notification per run for a statement that logs many steps", async () => {
    const { tenantId, a, b } = await twoRuns();
    await db.$withTenant(tenantId, (tx) =>
      tx.runEventLog.createMany({
        data: [a, a, b, a, b].map((runId, i) => ({ runId, uen: `2017000${i}A`, stage: "crawl", event: "done", status: "ok" })),
      }),
    );
    const notes = await drain();
    expect(notes.sort((x, y) => x.run_id.localeCompare(y.run_id))).toEqual([a, b].sort().map((runId) => ({ tenant_id: tenantId, run_id: runId })));
  });

  it("folds a transaction's step logs for one run into one notification, and still wakes each run", async () => {
    const { tenantId, a, b } = await twoRuns();
    await db.$withTenant(tenantId, async (tx) => {
      for (const stage of ["domain", "crawl", "contacts", "score"]) await logStep(tx, { runId: a, uen: "201700001A", stage, event: "done", status: "ok" });
    });
    expect(await drain()).toEqual([{ tenant_id: tenantId, run_id: a }]);

    // Separate commits are separate wake-ups: a stream never misses a committed step.
    await db.$withTenant(tenantId, (tx) => logStep(tx, { runId: a, stage: "run", event: "progress", status: "info" }));
    await db.$withTenant(tenantId, (tx) => logStep(tx, { runId: b, stage: "run", event: "progress", status: "info" }));
    expect(await drain()).toEqual([
      { tenant_id: tenantId, run_id: a },
      { tenant_id: tenantId, run_id: b },
    ]);
  });
});
