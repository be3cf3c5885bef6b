import { describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { memberCookie } from "../support/workspace-users";

/**
 * With ODOO_WARM_POOL_SIZE unset (0, the default) the warm pool page says the
 * pool is off and a refill asks for nothing: no job is queued, nothing recorded.
 */
describe("the warm pool page with the pool off", () => {
  it("reports a target size of 0 and refuses to refill", async () => {
    const [route, { platformDb }] = await Promise.all([import("~/routes/admin+/infra.warm-pool"), import("~/db.server")]);
    const { cookie } = await memberCookie("pool-off-owner", ["platform_owner"], null);
    const page = await invoke(route.loader, appRequest("/admin/infra/warm-pool", { cookie }));
    expect(await page.json()).toMatchObject({ size: 0, total: 0, counts: { creating: 0, ready: 0, claimed: 0, failed: 0 } });

    const refill = await invoke(route.action, appRequest("/admin/infra/warm-pool", { method: "POST", cookie, form: { intent: "refill" } }));
    expect(await refill.json()).toEqual({ ok: false, message: "The warm pool is off (ODOO_WARM_POOL_SIZE is 0): there is nothing to refill." });
    expect(await platformDb.$queryRaw`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = 'refill_warm_pool'`).toEqual([]);
    expect(await platformDb.odooWarmPoolAction.count()).toBe(0);
  });
});
