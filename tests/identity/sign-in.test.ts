import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { AppBrowser, appRequest, finishSignIn, invoke, SESSION_COOKIE, signInAtIdp, signInThroughApp, startSignIn } from "../support/app-requests";
import { APP_URL, DEMO_PASSWORD, PLATFORM_CLIENT, type StandIns } from "../support/platform";
import { whoami } from "../support/tenant-api";
import { sessionRow, startDemoTenants } from "../support/workspace-users";

/**
 * Browser sign-in through our own routes: /auth/login → the dev IdP's real
 * pages → /auth/callback, the first login of new and existing members, and
 * what the callback refuses. Sign-out and the life of a session are in
 * sessions.test.ts.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
let globex: Tenant;

async function loadApp() {
  const [db, layout, admin, session, setup] = await Promise.all([
    import("~/db.server"),
    import("~/routes/app+/_layout"),
    import("~/routes/admin+/_layout"),
    import("~/auth/session.server"),
    import("~/routes/app+/setup"),
  ]);
  return {
    platformDb: db.platformDb,
    appLayout: layout.loader,
    adminLayout: admin.loader,
    idTokenOf: session.idTokenOf,
    setupAction: setup.action,
  };
}

beforeAll(async () => {
  ({ standIns, acme, globex } = await startDemoTenants());
  app = await loadApp();
});

afterAll(async () => {
  await standIns?.stop();
});

const sessionCount = () => app.platformDb.session.count();

async function jobsFor(tenantId: string) {
  return app.platformDb.$queryRaw<Array<{ key: string; task_identifier: string; attempts: number }>>`
    SELECT key, task_identifier, attempts FROM graphile_worker.jobs WHERE key = ${`provision:${tenantId}`}`;
}

describe("the setup screen's Retry", () => {
  const retry = (cookie: string | undefined) => invoke(app.setupAction, appRequest("/app/setup", { cookie, form: { intent: "retry" } }));
  const retried = (tenantId: string) => app.platformDb.auditLog.count({ where: { tenantId, action: "tenant.provisioning_retried" } });

  it("is refused to a viewer: 403, nothing queued or recorded", async () => {
    const browser = new AppBrowser();
    await signInThroughApp(browser, { email: "viewer@acme.test", password: DEMO_PASSWORD });
    const response = await retry(browser.cookies());
    expect(response.status).toBe(403);
    expect(await retried(acme.id)).toBe(0);
    expect(await jobsFor(acme.id)).toEqual([]);
  });

  it("is the workspace admin's: it queues provisioning again", async () => {
    const browser = new AppBrowser();
    await signInThroughApp(browser, { email: "admin@globex.test", password: DEMO_PASSWORD });
    const response = await retry(browser.cookies());
    expect(response.status).toBe(302);
    expect(await retried(globex.id)).toBe(1);
  });
});

describe("first sign-in of a self-serve user", () => {
  it("creates the workspace bound to the subject, queues provisioning once and lands on the setup screen", async () => {
    const browser = new AppBrowser();
    const before = await sessionCount();
    const { response, sessionId } = await signInThroughApp(browser, { email: "new.user@example.com", password: DEMO_PASSWORD });

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/app/setup");
    const sessionCookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(sessionCookie).toMatch(/Path=\//);
    expect(sessionCookie).not.toMatch(/Secure/);
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const user = await app.platformDb.user.findUniqueOrThrow({ where: { sub: "09cfaa90-f3ab-4d92-a20d-29b751cd6e4e" } });
    // The dev IdP vouches for its demo addresses (email_verified), so Odoo users may be made for them.
    expect(user.emailVerified).toBe(true);
    const tenant = await app.platformDb.tenant.findUniqueOrThrow({ where: { ownerSub: user.sub }, include: { onboardingStatus: true, members: true } });
    expect(tenant.status).toBe("provisioning");
    expect(tenant.name).toBe("New User's workspace");
    expect(tenant.onboardingStatus).toMatchObject({ status: "provisioning", phase: "starting" });
    expect(tenant.members).toEqual([expect.objectContaining({ userId: user.id, roles: ["admin"] })]);
    expect(await jobsFor(tenant.id)).toEqual([{ key: `provision:${tenant.id}`, task_identifier: "provision_tenant", attempts: 0 }]);

    const session = await sessionRow(sessionId);
    expect(session).toMatchObject({ tenantId: tenant.id, userId: user.id, sub: user.sub, email: "new.user@example.com", roles: ["admin"] });
    // The ID token is a credential /api accepts: kept only sealed, like the refresh token.
    expect(app.idTokenOf(session!)).toMatch(/^ey/);
    const [stored] = await app.platformDb.$queryRaw<
      Array<{ row: string }>
    >`SELECT row_to_json(s)::text AS row FROM sessions s WHERE id_hash = ${session!.idHash}`;
    expect(stored!.row).not.toContain(app.idTokenOf(session!)!.split(".")[1]);
    expect(stored!.row).not.toMatch(/eyJ/);
    expect(session!.refreshCipher).not.toBeNull();
    expect(await sessionCount()).toBe(before + 1);

    const audit = await app.platformDb.auditLog.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["tenant.created", "member.joined", "auth.sign_in"]);
    expect(audit[0]).toMatchObject({ actorSub: user.sub, actorEmail: "new.user@example.com" });

    // The setup screen is reachable while provisioning; other workspace pages send the user there.
    const setup = await invoke(app.appLayout, appRequest("/app/setup", { cookie: browser.cookies() }));
    expect(setup.status).toBe(200);
    const home = await invoke(app.appLayout, appRequest("/app", { cookie: browser.cookies() }));
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("/app/setup");

    // Signing in again finds the same workspace and adds no second job.
    const again = await signInThroughApp(new AppBrowser(), { email: "new.user@example.com", password: DEMO_PASSWORD });
    expect(again.response.headers.get("location")).toBe("/app/setup");
    expect(await app.platformDb.tenant.count({ where: { ownerSub: user.sub } })).toBe(1);
    expect(await jobsFor(tenant.id)).toHaveLength(1);
  });

  it("sends PKCE S256, state and a nonce to the IdP, and expires the state cookie after the callback", async () => {
    const browser = new AppBrowser();
    const { response, authorizeUrl } = await startSignIn(browser);
    const authorize = new URL(authorizeUrl);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${standIns.idp.issuer}/auth`);
    expect(authorize.searchParams.get("client_id")).toBe(PLATFORM_CLIENT.client_id);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${APP_URL}/auth/callback`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("state")).toBeTruthy();
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(authorize.searchParams.get("scope")!.split(" ")).toEqual(expect.arrayContaining(["openid", "email", "offline_access"]));

    const stateCookie = response.headers.getSetCookie().find((c) => c.startsWith("nexius_oidc"))!;
    const stateCookieName = stateCookie.slice(0, stateCookie.indexOf("="));
    expect(stateCookie).toMatch(/HttpOnly/);
    expect(stateCookie).toMatch(/SameSite=Lax/);

    const callbackUrl = await signInAtIdp(browser, authorizeUrl, { email: "ops@acme.test", password: DEMO_PASSWORD });
    const callback = await finishSignIn(browser, callbackUrl);
    expect(callback.status).toBe(302);
    expect(callback.headers.getSetCookie()).toContainEqual(
      expect.stringMatching(new RegExp(`^${stateCookieName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}=;.*Max-Age=0`)),
    );
    expect(browser.cookie(stateCookieName)).toBeUndefined();
  });
});

describe("members of existing tenants", () => {
  it("signs the ops user of acme into acme with the ops role, back to the page they asked for", async () => {
    const browser = new AppBrowser();
    const { response, sessionId } = await signInThroughApp(browser, { email: "ops@acme.test", password: DEMO_PASSWORD, returnTo: "/app/runs?page=2" });
    expect(response.headers.get("location")).toBe("/app/runs?page=2");
    expect(await sessionRow(sessionId)).toMatchObject({ tenantId: acme.id, roles: ["ops"], email: "ops@acme.test" });

    const layout = await invoke(app.appLayout, appRequest("/app", { cookie: browser.cookies() }));
    expect(layout.status).toBe(200);
    expect(await layout.json()).toMatchObject({ tenant: { id: acme.id, slug: "acme" }, roles: ["ops"] });
    const member = await app.platformDb.tenantUser.findFirstOrThrow({ where: { tenantId: acme.id, user: { email: "ops@acme.test" } } });
    expect(member.roles).toEqual(["ops"]);
  });

  it("ignores a returnTo that leaves the site", async () => {
    const { response } = await signInThroughApp(new AppBrowser(), { email: "ops@acme.test", password: DEMO_PASSWORD, returnTo: "//evil.example/app" });
    expect(response.headers.get("location")).toBe("/app");
  });

  it("gives the acme viewer the viewer role only, which the admin area refuses", async () => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "viewer@acme.test", password: DEMO_PASSWORD });
    expect(await sessionRow(sessionId)).toMatchObject({ tenantId: acme.id, roles: ["viewer"] });
    expect((await whoami(browser.cookies())).body).toMatchObject({ tenant_id: acme.id, roles: ["viewer"] });
    const admin = await invoke(app.adminLayout, appRequest("/admin", { cookie: browser.cookies() }));
    expect(admin.status).toBe(403);
  });

  it.each([
    ["globex", ["viewer"]],
    ["acme", ["ops"]],
  ])("signs the two-tenant user into the tenant picked at the IdP (%s)", async (slug, roles) => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "multi@example.com", password: DEMO_PASSWORD, tenant: slug });
    const tenant = slug === "globex" ? globex : acme;
    expect(await sessionRow(sessionId)).toMatchObject({ tenantId: tenant.id, roles });
    const me = await whoami(browser.cookies());
    expect(me.body).toMatchObject({ email: "multi@example.com", tenant_id: tenant.id, roles });
  });

  it("sends the platform owner to /admin with no tenant and creates none", async () => {
    const tenantsBefore = await app.platformDb.tenant.count();
    const browser = new AppBrowser();
    const { response, sessionId } = await signInThroughApp(browser, { email: "owner@nexius.test", password: DEMO_PASSWORD });
    expect(response.headers.get("location")).toBe("/admin");
    expect(await sessionRow(sessionId)).toMatchObject({ tenantId: null, roles: ["platform_owner"] });
    expect(await app.platformDb.tenant.count()).toBe(tenantsBefore);
    const admin = await invoke(app.adminLayout, appRequest("/admin", { cookie: browser.cookies() }));
    expect(admin.status).toBe(200);
    expect(await admin.json()).toEqual({ roles: ["platform_owner"] });
    // No workspace: workspace pages send platform staff back to the admin area.
    const workspace = await invoke(app.appLayout, appRequest("/app", { cookie: browser.cookies() }));
    expect(workspace.status).toBe(302);
    expect(workspace.headers.get("location")).toBe("/admin");
  });

  it("issues a new session id at every sign-in, also within one IdP session", async () => {
    const browser = new AppBrowser();
    const first = await signInThroughApp(browser, { email: "ops@acme.test", password: DEMO_PASSWORD });
    // The IdP remembers the browser: the second round trip shows no login page.
    const { authorizeUrl } = await startSignIn(browser);
    const callbackUrl = await signInAtIdp(browser, authorizeUrl, { email: "unused@example.com", password: "unused" });
    const second = await finishSignIn(browser, callbackUrl);
    expect(second.status).toBe(302);
    const secondId = browser.sessionId()!;
    expect(secondId).not.toBe(first.sessionId);
    expect(await sessionRow(secondId)).toMatchObject({ tenantId: acme.id, roles: ["ops"] });
  });
});

describe("the session's client address", () => {
  it("is the one the web server computed from its trusted proxies, not the first X-Forwarded-For entry the client wrote", async () => {
    const browser = new AppBrowser();
    const { authorizeUrl } = await startSignIn(browser);
    const callbackUrl = await signInAtIdp(browser, authorizeUrl, { email: "ops@acme.test", password: DEMO_PASSWORD });
    const response = await finishSignIn(browser, callbackUrl, {
      headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.7", "user-agent": "Mozilla/5.0 test" },
      context: { clientIp: "203.0.113.7" },
    });
    expect(response.status).toBe(302);
    expect(await sessionRow(browser.sessionId()!)).toMatchObject({ ip: "203.0.113.7", userAgent: "Mozilla/5.0 test" });
  });
});

describe("callback checks", () => {
  async function reachCallback(email = "ops@acme.test") {
    const browser = new AppBrowser();
    const { authorizeUrl } = await startSignIn(browser);
    const callbackUrl = await signInAtIdp(browser, authorizeUrl, { email, password: DEMO_PASSWORD });
    return { browser, callbackUrl, authorizeUrl };
  }

  async function expectRefused(response: Response, message: RegExp) {
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.stringMatching(message) });
    expect(response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
  }

  it("refuses a callback whose state was tampered with", async () => {
    const { browser, callbackUrl } = await reachCallback();
    const before = await sessionCount();
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set("state", `${tampered.searchParams.get("state")}x`);
    await expectRefused(await finishSignIn(browser, tampered.toString()), /expired or was opened in another browser/);
    expect(await sessionCount()).toBe(before);
  });

  it("refuses a callback without the state cookie (another browser)", async () => {
    const { callbackUrl } = await reachCallback();
    const before = await sessionCount();
    await expectRefused(await finishSignIn(new AppBrowser(), callbackUrl), /expired or was opened in another browser/);
    expect(await sessionCount()).toBe(before);
  });

  it("refuses a replayed callback, cookies and all", async () => {
    const { browser, callbackUrl } = await reachCallback();
    const cookie = browser.cookies()!;
    expect((await finishSignIn(browser, callbackUrl, { cookie })).status).toBe(302);
    const before = await sessionCount();
    await expectRefused(await finishSignIn(new AppBrowser(), callbackUrl, { cookie }), /refused the request \(invalid_grant\)/);
    expect(await sessionCount()).toBe(before);
  });

  it("refuses an ID token whose nonce is not the one this sign-in sent", async () => {
    const browser = new AppBrowser();
    const { authorizeUrl } = await startSignIn(browser);
    const swapped = new URL(authorizeUrl);
    swapped.searchParams.set("nonce", "attacker-chosen-nonce");
    const callbackUrl = await signInAtIdp(browser, swapped.toString(), { email: "ops@acme.test", password: DEMO_PASSWORD });
    const before = await sessionCount();
    await expectRefused(await finishSignIn(browser, callbackUrl), /not accepted \(nonce_mismatch\)/);
    expect(await sessionCount()).toBe(before);
  });

  it("explains a sign-in cancelled at the IdP", async () => {
    const browser = new AppBrowser();
    const { authorizeUrl } = await startSignIn(browser);
    const step = await browser.oidc.follow(await browser.oidc.request(authorizeUrl), authorizeUrl);
    const abort = new URL("abort", `${step.url}/`).toString();
    const back = await browser.oidc.follow(await browser.oidc.request(abort), abort, `${APP_URL}/auth/callback`);
    expect(new URL(back.url).searchParams.get("error")).toBe("access_denied");
    await expectRefused(await finishSignIn(browser, back.url), /^Sign-in was cancelled\.$/);
  });
});

// Last in this file: it stops the IdP.

describe("a newcomer past the plan's seats", () => {
  it("gets the plan's message (402) instead of a session, and no membership or user row", async () => {
    // Globex's admin signed in above; its plan now has no seat beyond the members it has.
    const members = await app.platformDb.tenantUser.count({ where: { tenantId: globex.id } });
    expect(members).toBeGreaterThan(0);
    await app.platformDb.plan.create({ data: { code: "seats-full", name: "Seats full", seats: members } });
    await app.platformDb.tenant.update({ where: { id: globex.id }, data: { plan: "seats-full" } });
    const browser = new AppBrowser();
    const { authorizeUrl } = await startSignIn(browser);
    const callbackUrl = await signInAtIdp(browser, authorizeUrl, { email: "rep@globex.test", password: DEMO_PASSWORD });
    const before = await sessionCount();

    const response = await finishSignIn(browser, callbackUrl);
    expect(response.status).toBe(402);
    expect(await response.json()).toEqual({
      message: `You could not join this workspace. The Seats full plan allows ${members} seats (${members} in use). Ask your administrator to change the plan.`,
    });
    expect(response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
    expect(await sessionCount()).toBe(before);
    expect(await app.platformDb.tenantUser.count({ where: { tenantId: globex.id } })).toBe(members);
    expect(await app.platformDb.user.count({ where: { email: "rep@globex.test" } })).toBe(0);
  });
});
