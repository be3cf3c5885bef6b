import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppBrowser, appRequest, invoke, sessionIdHash, signInThroughApp } from "../support/app-requests";
import { DEMO_PASSWORD, startStandIns, type StandIns } from "../support/platform";

/**
 * Against an IdP that rotates refresh tokens (and revokes the grant when a
 * rotated one is used again), requests that arrive together when the tokens
 * have expired must refresh once: Remix runs a page's loaders in parallel,
 * each asking who the viewer is.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;

async function loadApp() {
  const [db, whoami, guards, session] = await Promise.all([
    import("~/db.server"),
    import("~/routes/api+/whoami"),
    import("~/auth/guards.server"),
    import("~/auth/session.server"),
  ]);
  return { platformDb: db.platformDb, whoami: whoami.loader, renewSession: guards.renewSession, withLockedSession: session.withLockedSession };
}

beforeAll(async () => {
  standIns = await startStandIns({ idpRotateRefreshTokens: true });
  app = await loadApp();
  await app.platformDb.tenant.create({ data: { slug: "acme", name: "Acme", status: "active" } });
});

afterAll(async () => {
  await standIns?.stop();
});

const whoami = async (cookie: string | undefined) => (await invoke(app.whoami, appRequest("/api/whoami", { cookie }))).status;

describe("token refresh with rotating refresh tokens", () => {
  it("refreshes once for requests that arrive together, and the session lives on", async () => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "ops@acme.test", password: DEMO_PASSWORD });
    const idHash = sessionIdHash(sessionId);
    const expire = () => app.platformDb.session.update({ where: { idHash }, data: { tokensExpireAt: new Date(Date.now() - 5_000) } });

    await expire();
    expect(await Promise.all(Array.from({ length: 4 }, () => whoami(browser.cookies())))).toEqual([200, 200, 200, 200]);
    const row = await app.platformDb.session.findUniqueOrThrow({ where: { idHash } });
    expect(row.tokensExpireAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);

    // The stored (rotated) refresh token is the live one: the next expiry refreshes again.
    await expire();
    expect(await whoami(browser.cookies())).toBe(200);
    expect((await app.platformDb.session.findUniqueOrThrow({ where: { idHash } })).tokensExpireAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  it("two web instances refreshing the same session at once refresh it once, and it lives on", async () => {
    const browser = new AppBrowser();
    const { sessionId } = await signInThroughApp(browser, { email: "ops@acme.test", password: DEMO_PASSWORD });
    const idHash = sessionIdHash(sessionId);
    await app.platformDb.session.update({ where: { idHash }, data: { tokensExpireAt: new Date(Date.now() - 5_000) } });
    const row = await app.platformDb.session.findUniqueOrThrow({ where: { idHash } });

    // Connections ready, so that the instances below really start together.
    await Promise.all(Array.from({ length: 4 }, () => app.withLockedSession("0".repeat(64), async () => null)));
    // What each instance would do with the row it read: no shared memory, each on its own database connection.
    const renewed = await Promise.all(Array.from({ length: 4 }, () => app.renewSession(row)));
    expect(renewed.every((session) => session !== null)).toBe(true);
    expect(new Set(renewed.map((session) => session!.tokensExpireAt!.getTime())).size).toBe(1);

    // The grant was not revoked: the stored refresh token still renews the session.
    await app.platformDb.session.update({ where: { idHash }, data: { tokensExpireAt: new Date(Date.now() - 5_000) } });
    expect(await whoami(browser.cookies())).toBe(200);
    expect((await app.platformDb.session.findUniqueOrThrow({ where: { idHash } })).tokensExpireAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });
});
