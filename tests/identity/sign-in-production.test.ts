import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppBrowser, appRequest, finishSignIn, invoke, sessionIdHash, signInAtIdp, startSignIn } from "../support/app-requests";
import { DEMO_PASSWORD, startStandIns, type StandIns } from "../support/platform";

/** In production the cookies carry the __Host- prefix and Secure (env is parsed once, hence a file of its own). */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;

async function loadApp() {
  const [db, layout, logout] = await Promise.all([import("~/db.server"), import("~/routes/app+/_layout"), import("~/routes/auth+/logout")]);
  return { platformDb: db.platformDb, appLayout: layout.loader, logout: logout.action };
}

beforeAll(async () => {
  standIns = await startStandIns({ env: { NODE_ENV: "production" } });
  app = await loadApp();
  await app.platformDb.tenant.create({ data: { slug: "acme", name: "Acme", status: "active" } });
});

afterAll(async () => {
  await standIns?.stop();
});

describe("production cookies", () => {
  it("uses __Host- names with Secure for the state, return-to and session cookies, and clears them", async () => {
    const browser = new AppBrowser();
    const { response, authorizeUrl } = await startSignIn(browser);
    const stateCookie = response.headers.getSetCookie().find((c) => c.startsWith("__Host-nexius_oidc:"))!;
    expect(stateCookie).toMatch(/; Secure/i);
    expect(stateCookie).toMatch(/Path=\//);
    expect(response.headers.getSetCookie()).toContain("__Host-nexius_return_to=%2Fapp; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=600");
    const stateName = stateCookie.slice(0, stateCookie.indexOf("="));

    const callback = await finishSignIn(browser, await signInAtIdp(browser, authorizeUrl, { email: "ops@acme.test", password: DEMO_PASSWORD }));
    expect(callback.status).toBe(302);
    const cookies = callback.headers.getSetCookie();
    expect(cookies).toContain("__Host-nexius_return_to=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0");
    const session = cookies.find((c) => c.startsWith("__Host-nexius_session="))!;
    expect(session).toMatch(/; HttpOnly; SameSite=Lax; Secure; Max-Age=\d+$/);
    expect(cookies).toContain(`${stateName}=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0`);

    const sessionId = browser.cookie("__Host-nexius_session")!;
    expect(await app.platformDb.session.findUnique({ where: { idHash: sessionIdHash(sessionId) } })).not.toBeNull();
    // The unprefixed development name means nothing in production.
    const devName = await invoke(app.appLayout, appRequest("/app", { cookie: `nexius_session=${sessionId}` }));
    expect(devName.status).toBe(302);
    expect((await invoke(app.appLayout, appRequest("/app", { cookie: browser.cookies() }))).status).toBe(200);

    const logout = await invoke(app.logout, appRequest("/auth/logout", { method: "POST", cookie: browser.cookies() }));
    expect(logout.headers.getSetCookie()).toContain("__Host-nexius_session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0");
    expect(await app.platformDb.session.findUnique({ where: { idHash: sessionIdHash(sessionId) } })).toBeNull();
  });
});
