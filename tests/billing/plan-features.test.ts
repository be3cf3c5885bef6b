import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie, readyTenant } from "../support/workspace-users";

/**
 * Feature entitlements: a workspace on Starter (none of the extras) is
 * refused its own identity provider, the analytics hub's BI login and the
 * Microsoft 365 source with the plan's reason and a 403, and nothing is
 * stored; moved to a plan that includes them, the same requests go through.
 */
let standIns: StandIns;
let tenantId: string;
let ownerCookie: string;
let app: Awaited<ReturnType<typeof load>>;

async function load() {
  const [db, sso, analytics, sources, connection, lakeActions] = await Promise.all([
    import("~/db.server"),
    import("~/routes/admin+/tenants.$id_.sso"),
    import("~/routes/admin+/tenants.$id_.analytics"),
    import("~/lake/sources.server"),
    import("~/lake/m365/connection.server"),
    import("~/lake/lake-settings-actions.server"),
  ]);
  return { ...db, sso, analytics, sources, connection, lakeActions };
}

const ssoForm = {
  intent: "save",
  kind: "oidc",
  issuer: "https://idp.starter.test/realms/starter",
  clientId: "starter-app",
  clientSecret: "starter-secret-value",
  emailDomains: "starter.test",
  rolesClaim: "roles",
  roleMapping: "Starter.Admin = admin",
  enabled: "on",
};

beforeAll(async () => {
  standIns = await startStandIns();
  app = await load();
  tenantId = (await readyTenant("starter-co", "Starter Co")).id;
  await app.platformDb.tenant.update({ where: { id: tenantId }, data: { plan: "starter" } });
  ownerCookie = (await memberCookie("owner", ["platform_owner"], null)).cookie;
});

afterAll(async () => {
  await standIns?.stop();
});

describe("a plan without the extras", () => {
  it("refuses the workspace's own identity provider with the plan's reason (403) and stores none", async () => {
    const response = await invoke(app.sso.action, appRequest(`/admin/tenants/${tenantId}/sso`, { method: "POST", cookie: ownerCookie, form: ssoForm }), {
      id: tenantId,
    });
    expect(response.status).toBe(403);
    expect((await response.json()).message).toBe("The Starter plan does not include its own identity provider. Ask the platform to change the plan.");
    expect(await app.platformDb.tenantIdentityProvider.count({ where: { tenantId } })).toBe(0);
  });

  it("refuses the analytics hub's login (403) and creates no role", async () => {
    const response = await invoke(
      app.analytics.action,
      appRequest(`/admin/tenants/${tenantId}/analytics`, { method: "POST", cookie: ownerCookie, form: { intent: "enable" } }),
      {
        id: tenantId,
      },
    );
    expect(response.status).toBe(403);
    expect((await response.json()).message).toBe("The Starter plan does not include the analytics hub. Ask the platform to change the plan.");
    expect(await app.platformDb.analyticsRole.count({ where: { tenantId } })).toBe(0);
  });

  it("refuses Microsoft 365 in Settings, on the page and directly, and stores no source", async () => {
    const message = "The Starter plan does not include the Microsoft 365 data-lake source. Ask the platform to change the plan.";
    expect((await app.connection.m365Connection(tenantId)).quotaRefusal).toBe(message);
    const form = await app.lakeActions.lakeSettingsAction(
      tenantId,
      { sub: "admin", email: null },
      ["admin"],
      { intent: "m365-connect" },
      { reply: () => ({}) },
    );
    expect(form).toEqual({ intent: "m365-connect", ok: false, message: `Microsoft 365 was not connected. ${message}` });
    const direct = await app.sources
      .connectM365(tenantId, { directoryId: "11111111-2222-3333-4444-555555555555", connectedBy: "admin" })
      .catch((e: unknown) => e);
    expect(direct).toMatchObject({ status: 403, feature: "lake_m365", message });
    expect(await app.db.$withTenant(tenantId, (tx) => tx.lakeSource.count({ where: { source: "m365" } }))).toBe(0);
  });
});

describe("moved to a plan that includes them", () => {
  it("lets the same requests through", async () => {
    await app.platformDb.tenant.update({ where: { id: tenantId }, data: { plan: "enterprise" } });
    const sso = await invoke(app.sso.action, appRequest(`/admin/tenants/${tenantId}/sso`, { method: "POST", cookie: ownerCookie, form: ssoForm }), {
      id: tenantId,
    });
    expect((await sso.json()).message).toBe("Saved. Run a test login to check it.");
    expect(await app.platformDb.tenantIdentityProvider.count({ where: { tenantId } })).toBe(1);
    expect((await app.connection.m365Connection(tenantId)).quotaRefusal).toBeNull();
    await app.sources.connectM365(tenantId, { directoryId: "11111111-2222-3333-4444-555555555555", connectedBy: "admin" });
    expect(await app.db.$withTenant(tenantId, (tx) => tx.lakeSource.count({ where: { source: "m365", status: "connected" } }))).toBe(1);
  });
});
