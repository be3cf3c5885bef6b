import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { AppBrowser, appRequest, invoke, sessionIdHash, signInThroughApp } from "../support/app-requests";
import { DEMO_PASSWORD, type StandIns } from "../support/platform";
import { whoami } from "../support/tenant-api";
import { startDemoTenants } from "../support/workspace-users";

/**
 * What the IdP says at each refresh is what applies: an administrator's
 * demotion, a removed platform role, an emptied role list or a moved tenant
 * reach live sessions at their next refresh, and a session whose tokens
 * expired without a successful refresh ends.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
let globex: Tenant;

async function loadApp() {
  const [db, admin] = await Promise.all([import("~/db.server"), import("~/routes/admin+/_layout")]);
  return { platformDb: db.platformDb, adminLayout: admin.loader };
}

beforeAll(async () => {
  ({ standIns, acme, globex } = await startDemoTenants());
  app = await loadApp();
});

afterAll(async () => {
  await standIns?.stop();
});

async function signedIn(email: string) {
  const browser = new AppBrowser();
  const { sessionId } = await signInThroughApp(browser, { email, password: DEMO_PASSWORD });
  const idHash = sessionIdHash(sessionId);
  const session = await app.platformDb.session.findUniqueOrThrow({ where: { idHash } });
  const expireTokens = () => app.platformDb.session.update({ where: { idHash }, data: { tokensExpireAt: new Date(Date.now() - 5_000) } });
  return { browser, idHash, session, expireTokens };
}

describe("claims of the refreshed token replace the session's", () => {
  it("an admin demoted to viewer at the IdP is a viewer after the next refresh, in the session and the membership", async () => {
    const { browser, session, idHash, expireTokens } = await signedIn("admin@globex.test");
    expect(session.roles).toEqual(["admin"]);
    standIns.idp.updateAccount(session.sub, { tenants: [{ tenant_id: "globex", roles: ["viewer"] }] });

    await expireTokens();
    const me = await whoami(browser.cookies());
    expect(me).toMatchObject({ status: 200, body: { tenant_id: globex.id, roles: ["viewer"] } });
    expect((await app.platformDb.session.findUniqueOrThrow({ where: { idHash } })).roles).toEqual(["viewer"]);
    const member = await app.platformDb.tenantUser.findUniqueOrThrow({ where: { tenantId_userId: { tenantId: globex.id, userId: session.userId } } });
    expect(member.roles).toEqual(["viewer"]);
  });

  it("a platform owner whose role was removed loses the control plane", async () => {
    const { browser, session, expireTokens } = await signedIn("owner@nexius.test");
    expect((await invoke(app.adminLayout, appRequest("/admin", { cookie: browser.cookies() }))).status).toBe(200);
    standIns.idp.updateAccount(session.sub, { roles: [] });

    await expireTokens();
    const me = await whoami(browser.cookies());
    expect(me.status).toBe(200);
    expect(me.body?.roles).not.toContain("platform_owner");
    expect((await invoke(app.adminLayout, appRequest("/admin", { cookie: browser.cookies() }))).status).toBe(403);
  });

  it("an empty roles claim means no roles, not the old ones", async () => {
    const { browser, session, expireTokens } = await signedIn("ops@acme.test");
    expect(session.roles).toEqual(["ops"]);
    standIns.idp.updateAccount(session.sub, { tenants: [{ tenant_id: "acme", roles: [] }] });

    await expireTokens();
    expect(await whoami(browser.cookies())).toMatchObject({ status: 200, body: { tenant_id: acme.id, roles: [] } });
  });

  it("a user moved to another tenant at the IdP is in that tenant after the next refresh", async () => {
    const { browser, session, idHash, expireTokens } = await signedIn("viewer@acme.test");
    expect(session.tenantId).toBe(acme.id);
    standIns.idp.updateAccount(session.sub, { tenants: [{ tenant_id: "globex", roles: ["viewer"] }] });

    await expireTokens();
    expect(await whoami(browser.cookies())).toMatchObject({ status: 200, body: { tenant_id: globex.id, roles: ["viewer"] } });
    expect((await app.platformDb.session.findUniqueOrThrow({ where: { idHash } })).tenantId).toBe(globex.id);
  });

  it("the owner of a self-serve workspace stays its admin across refreshes (the platform grants it, not the token)", async () => {
    const { browser, session, expireTokens } = await signedIn("new.user@example.com");
    expect(session.roles).toEqual(["admin"]);
    await expireTokens();
    expect(await whoami(browser.cookies())).toMatchObject({ status: 200, body: { tenant_id: session.tenantId, roles: ["admin"] } });
  });
});

describe("sessions whose tokens cannot be renewed", () => {
  it("a user moved at the IdP to a workspace with no seat left is signed out at the next refresh, and not made a member", async () => {
    const { browser, session, idHash, expireTokens } = await signedIn("rep@acme.test");
    const members = await app.platformDb.tenantUser.count({ where: { tenantId: globex.id } });
    await app.platformDb.plan.create({ data: { code: "globex-full", name: "Globex full", seats: members } });
    await app.platformDb.tenant.update({ where: { id: globex.id }, data: { plan: "globex-full" } });
    standIns.idp.updateAccount(session.sub, { tenants: [{ tenant_id: "globex", roles: ["ops"] }] });

    await expireTokens();
    expect((await whoami(browser.cookies())).status).toBe(401);
    expect(await app.platformDb.session.findUnique({ where: { idHash } })).toBeNull();
    expect(await app.platformDb.tenantUser.count({ where: { tenantId: globex.id } })).toBe(members);
    await app.platformDb.tenant.update({ where: { id: globex.id }, data: { plan: "trial" } });
  });

  it("a session without a refresh token ends when its tokens expire", async () => {
    const { browser, idHash } = await signedIn("admin@globex.test");
    await app.platformDb.session.update({
      where: { idHash },
      data: { refreshCipher: null, refreshKeyId: null, tokensExpireAt: new Date(Date.now() - 5_000) },
    });
    expect((await whoami(browser.cookies())).status).toBe(401);
    expect(await app.platformDb.session.findUnique({ where: { idHash } })).toBeNull();
  });
});
