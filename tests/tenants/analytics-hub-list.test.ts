import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { memberCookie } from "../support/workspace-users";

/**
 * /admin/integrations/analytics: every tenant's analytics hub state in one
 * list — enabled, revoked or not enabled, with the login's name, since when
 * and the BI dashboard — searchable, filtered by state, 20 to a page, for
 * owners, operators and finance, and never a password.
 */
const actor = { sub: "hub-list-test", email: "owner@example.test" };
const enabledRoles: string[] = [];
let ids: Record<"alpha" | "bravo" | "charlie", string>;

async function list(query = "", roles = ["platform_owner"]) {
  const route = await import("~/routes/admin+/integrations.analytics");
  const { cookie } = await memberCookie(`hub-list-${roles[0]}`, roles, null);
  const response = await invoke(route.loader, appRequest(`/admin/integrations/analytics${query}`, { cookie }));
  return { response, body: response.status === 200 ? await response.json() : null };
}

beforeAll(async () => {
  const { platformDb } = await import("~/db.server");
  const hub = await import("~/tenants/analytics-hub.server");
  const make = (slug: string, name: string) => platformDb.tenant.create({ data: { slug, name, status: "active" } });
  const [alpha, bravo, charlie] = [
    await make("hub-list-alpha", "Alpha Hub"),
    await make("hub-list-bravo", "Bravo Hub"),
    await make("hub-list-charlie", "Charlie Hub"),
  ];
  ids = { alpha: alpha.id, bravo: bravo.id, charlie: charlie.id };
  enabledRoles.push((await hub.setAnalyticsPassword(alpha.id, actor)).roleName);
  await hub.saveBiDashboardUrl(alpha.id, "https://bi.example.test/alpha", actor);
  await hub.setAnalyticsPassword(bravo.id, actor);
  await hub.revokeAnalyticsRole(bravo.id, actor);
  // Charlie has a dashboard address but never got a login.
  await hub.saveBiDashboardUrl(charlie.id, "https://bi.example.test/charlie", actor);
  // Enough tenants without a login for a second page.
  await platformDb.tenant.createMany({ data: Array.from({ length: 20 }, (_, i) => ({ slug: `filler-${i}`, name: `Zz Filler ${i}`, status: "active" })) });
});

afterAll(async () => {
  // Login roles are cluster-wide and outlive this file's database.
  const owner = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await owner.connect();
  for (const role of enabledRoles) await owner.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
  await owner.end();
});

describe("the analytics hub list", () => {
  it("shows each tenant's state, login name, since when and dashboard, linked to its Analytics tab", async () => {
    const { platformDb } = await import("~/db.server");
    const { body } = await list("?q=hub");
    expect(body.total).toBe(3);
    expect(body.counts).toEqual({ enabled: 1, revoked: 1, off: 21 });
    const rows = Object.fromEntries(body.tenants.map((t: { slug: string }) => [t.slug, t]));
    const alphaRole = await platformDb.analyticsRole.findUniqueOrThrow({ where: { tenantId: ids.alpha } });
    const bravoRole = await platformDb.analyticsRole.findUniqueOrThrow({ where: { tenantId: ids.bravo } });
    expect(rows["hub-list-alpha"]).toMatchObject({
      id: ids.alpha,
      state: "enabled",
      roleName: alphaRole.roleName,
      since: alphaRole.enabledAt!.toISOString(),
      biDashboardUrl: "https://bi.example.test/alpha",
    });
    expect(rows["hub-list-bravo"]).toMatchObject({ state: "revoked", roleName: bravoRole.roleName, since: bravoRole.revokedAt!.toISOString() });
    expect(rows["hub-list-charlie"]).toMatchObject({ state: "off", roleName: null, since: null, biDashboardUrl: "https://bi.example.test/charlie" });
    // There is no password to leak, and no connection secret either.
    expect(JSON.stringify(body)).not.toMatch(/password|secret|verifier|SCRAM/i);
  });

  it("filters by access state and pages through every tenant", async () => {
    expect((await list("?state=enabled")).body.tenants.map((t: { slug: string }) => t.slug)).toEqual(["hub-list-alpha"]);
    expect((await list("?state=revoked")).body.tenants.map((t: { slug: string }) => t.slug)).toEqual(["hub-list-bravo"]);
    const first = (await list()).body;
    expect(first).toMatchObject({ total: 23, pages: 2, page: 1 });
    expect(first.tenants).toHaveLength(20);
    const second = (await list("?page=2")).body;
    expect(second.tenants.map((t: { slug: string }) => t.slug)).toEqual(["filler-7", "filler-8", "filler-9"]);
    // A page past the end goes to the last one.
    const past = await list("?page=9");
    expect(past.response.status).toBe(302);
    expect(past.response.headers.get("location")).toBe("/admin/integrations/analytics?page=2");
  });

  it("is read by operators and finance owners, not by a tenant's admin", async () => {
    expect((await list("", ["platform_operator"])).response.status).toBe(200);
    expect((await list("", ["finance_owner"])).response.status).toBe(200);
    const route = await import("~/routes/admin+/integrations.analytics");
    const { cookie } = await memberCookie("hub-list-tenant-admin", ["admin"], ids.alpha);
    expect((await invoke(route.loader, appRequest("/admin/integrations/analytics", { cookie }))).status).toBe(403);
  });
});
