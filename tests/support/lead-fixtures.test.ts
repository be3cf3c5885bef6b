import { describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { seedFinishedRun } from "./lead-fixtures";

describe("seedFinishedRun", () => {
  it("writes a finished run the workspace pages can read through RLS", async () => {
    const tenant = await platformDb.tenant.create({ data: { slug: "fixture-co", name: "Fixture Co", status: "active" } });
    const seeded = await seedFinishedRun(tenant.id, { companies: 9 });
    const scores = await db.$withTenant(tenant.id, (tx) => tx.leadScore.findMany({ where: { runId: seeded.runId } }));
    expect(scores).toHaveLength(9);
    expect(seeded.highUens).toHaveLength(3);
    expect(await db.$withTenant(tenant.id, (tx) => tx.leadEmail.count())).toBe(7);
  });
});
