import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { AppBrowser, appRequest, invoke, sessionIdHash, SESSION_COOKIE, signInThroughApp, startSignIn } from "../support/app-requests";
import { extractForms } from "../support/oidc-browser";
import { APP_URL, DEMO_PASSWORD, PLATFORM_CLIENT, type StandIns } from "../support/platform";
import { whoami } from "../support/tenant-api";
import { sessionRow, startDemoTenants } from "../support/workspace-users";

/**
 * A signed-in browser's session after the sign-in: sign-out here and at the
 * IdP, sessions that are no longer valid, refreshing its tokens, and an IdP
 * that cannot be reached at refresh time.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
let globex: Tenant;

async function loadApp() {
  const [db, layout, logout, session] = await Promise.all([
    import("~/db.server"),
    import("~/routes/app+/_layout"),
    import("~/routes/auth+/logout"),
    import("~/auth/session.server"),
  ]);
  return {
    platformDb: db.platformDb,
    appLayout: layout.loader,
    logout: logout.action,
    logoutLoader: logout.loader,
    refreshTokenOf: session.refreshTokenOf,
    idTokenOf: session.idTokenOf,
  };
}

beforeAll(async () => {
  ({ standIns, acme, globex } = await startDemoTenants());
  app = await loadApp();
});

afterAll(async () => {
  await standIns?.stop();
});

describe("sign-out", () => {
  it("deletes the session row, clears the cookie and continues to the IdP's end_session_endpoint", async () => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "ops@acme.test", password: DEMO_PASSWORD });
    const session = (await sessionRow(sessionId))!;
    const cookie = browser.cookies();

    const response = await invoke(app.logout, appRequest("/auth/logout", { method: "POST", cookie }));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${standIns.idp.issuer}/session/end`);
    expect(location.searchParams.get("id_token_hint")).toBe(app.idTokenOf(session));
    expect(location.searchParams.get("post_logout_redirect_uri")).toBe(`${APP_URL}/`);
    expect(response.headers.getSetCookie()).toContainEqual(expect.stringMatching(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`)));
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await sessionRow(sessionId)).toBeNull();
    const audit = await app.platformDb.auditLog.findFirst({ where: { tenantId: acme.id, action: "auth.sign_out" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ actorSub: session.sub, target: "ops@acme.test" });

    // The old cookie, replayed (the back button), opens nothing.
    expect((await whoami(cookie)).status).toBe(401);
    const page = await invoke(app.appLayout, appRequest("/app", { cookie }));
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/auth/login?returnTo=%2Fapp");

    // The IdP accepts the hint and ends its own session: the next sign-in asks for the password again.
    browser.keep(response);
    expect(browser.sessionId()).toBeUndefined();
    const confirm = await browser.oidc.request(location.toString());
    expect(confirm.status).toBe(200);
    const [form] = extractForms(await confirm.text(), location.toString());
    const done = await browser.oidc.submit(form!, { logout: "yes" });
    const landed = await browser.oidc.follow(done, form!.action, APP_URL);
    expect(landed.url).toBe(`${APP_URL}/`);
    const { authorizeUrl } = await startSignIn(browser);
    const loginPage = await browser.oidc.follow(await browser.oidc.request(authorizeUrl), authorizeUrl, APP_URL);
    expect(loginPage.url.startsWith(standIns.idp.issuer)).toBe(true);
    expect(await loginPage.response.text()).toContain('type="password"');
  });

  it("signs nobody out on GET", async () => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "viewer@acme.test", password: DEMO_PASSWORD });
    const response = await invoke(app.logoutLoader, appRequest("/auth/logout", { cookie: browser.cookies() }));
    expect(response.status).toBe(302);
    expect(await sessionRow(sessionId)).not.toBeNull();
  });
});

describe("sessions that are no longer valid", () => {
  const cases = [
    ["expired", (id: string) => app.platformDb.session.update({ where: { idHash: id }, data: { expiresAt: new Date(Date.now() - 1000) } })],
    [
      "idle too long",
      (id: string) => app.platformDb.session.update({ where: { idHash: id }, data: { lastSeenAt: new Date(Date.now() - 13 * 60 * 60 * 1000) } }),
    ],
  ] as const;

  it.each(cases)("an %s session sends pages to sign-in, answers 401 on /api and is deleted", async (_label, spoil) => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "ops@acme.test", password: DEMO_PASSWORD });
    expect((await whoami(browser.cookies())).status).toBe(200);
    await spoil(sessionIdHash(sessionId));

    const page = await invoke(app.appLayout, appRequest("/app/runs?page=2", { cookie: browser.cookies() }));
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe(`/auth/login?returnTo=${encodeURIComponent("/app/runs?page=2")}`);
    const api = await whoami(browser.cookies());
    expect(api.status).toBe(401);
    expect(api.body).toMatchObject({ error: "unauthenticated", reason: "missing" });
    expect(await sessionRow(sessionId)).toBeNull();
  });

  it("treats an unknown or malformed session cookie as signed out", async () => {
    for (const value of [randomBytes(32).toString("base64url"), "not-a-session"]) {
      const cookie = `${SESSION_COOKIE}=${value}`;
      const page = await invoke(app.appLayout, appRequest("/app", { cookie }));
      expect(page.status).toBe(302);
      expect(page.headers.get("location")).toBe("/auth/login?returnTo=%2Fapp");
      const api = await whoami(cookie);
      expect(api.status).toBe(401);
      expect(api.body?.error).toBe("unauthenticated");
    }
  });
});

describe("token refresh behind a session", () => {
  it("renews the IdP tokens with the refresh token when they expire", async () => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "multi@example.com", password: DEMO_PASSWORD, tenant: "globex" });
    const idHash = sessionIdHash(sessionId);
    const expired = new Date(Date.now() - 5_000);
    await app.platformDb.session.update({ where: { idHash }, data: { tokensExpireAt: expired } });

    const me = await whoami(browser.cookies());
    expect(me.status).toBe(200);
    // The refreshed token keeps the tenant chosen at sign-in.
    expect(me.body).toMatchObject({ tenant_id: globex.id, roles: ["viewer"] });
    const after = (await sessionRow(sessionId))!;
    expect(after.tokensExpireAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(app.idTokenOf(after)).toMatch(/^ey/);
    expect(after.roles).toEqual(["viewer"]);
  });

  it("ends the session when the IdP refuses the refresh token (revoked)", async () => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "ops@acme.test", password: DEMO_PASSWORD });
    const session = (await sessionRow(sessionId))!;
    const refreshToken = app.refreshTokenOf(session)!;
    expect(refreshToken).toBeTruthy();
    const revoked = await fetch(`${standIns.idp.issuer}/token/revocation`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${PLATFORM_CLIENT.client_id}:${PLATFORM_CLIENT.client_secret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: "refresh_token" }).toString(),
    });
    expect(revoked.status).toBe(200);
    await app.platformDb.session.update({ where: { idHash: session.idHash }, data: { tokensExpireAt: new Date(Date.now() - 5_000) } });

    const page = await invoke(app.appLayout, appRequest("/app", { cookie: browser.cookies() }));
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/auth/login?returnTo=%2Fapp");
    expect(await sessionRow(sessionId)).toBeNull();
    expect((await whoami(browser.cookies())).status).toBe(401);
  });
});

describe("an IdP that cannot be reached at refresh time", () => {
  it("keeps a session (and its tokens) briefly until the IdP answers again, and ends one whose tokens expired minutes ago", async () => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "ops@acme.test", password: DEMO_PASSWORD });
    const stale = new AppBrowser();
    const { sessionId: staleId } = await signInThroughApp(stale, { email: "viewer@acme.test", password: DEMO_PASSWORD });
    const expired = new Date(Date.now() - 5_000);
    await app.platformDb.session.update({ where: { idHash: sessionIdHash(sessionId) }, data: { tokensExpireAt: expired } });
    await app.platformDb.session.update({ where: { idHash: sessionIdHash(staleId) }, data: { tokensExpireAt: new Date(Date.now() - 10 * 60_000) } });
    await standIns.idp.stop();

    const me = await whoami(browser.cookies());
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tenant_id: acme.id, roles: ["ops"] });
    expect(await sessionRow(sessionId)).toMatchObject({ tokensExpireAt: expired });

    // Its roles went unchecked for too long: it ends.
    expect((await whoami(stale.cookies())).status).toBe(401);
    expect(await sessionRow(staleId)).toBeNull();
  });
});
