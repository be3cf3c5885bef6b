import { describe, expect, it } from "vitest";
import { provisioningSimulators, sharedAdmin, SHARED_DB } from "../../tests/support/odoo-provisioning-fixtures";
import { smokeTest } from "./smoke-test.server";

const sims = provisioningSimulators();

describe("smokeTest", () => {
  it("reuses its archived partner and reports timings per step", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
    const first = await smokeTest(admin, { tenantSlug: "t1" });
    expect(first.created).toBe(true);
    expect(first.steps.map((s) => s.step)).toEqual(["lookup", "create", "write", "read"]);
    const second = await smokeTest(admin, { tenantSlug: "t1" });
    expect(second).toMatchObject({ partnerId: first.partnerId, created: false });
    expect(second.steps.map((s) => s.step)).toEqual(["lookup", "write", "read"]);
    expect(sim.state.database(SHARED_DB).get("res.partner", first.partnerId)!.active).toBe(false);
  });
});
