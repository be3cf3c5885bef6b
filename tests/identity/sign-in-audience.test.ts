import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppBrowser, appRequest, finishSignIn, invoke, signInAtIdp, startSignIn } from "../support/app-requests";
import { DEMO_PASSWORD, mintToken, PLATFORM_CLIENT, startStandIns, type StandIns } from "../support/platform";

/**
 * With NEXIUS_AUDIENCE set (an API audience, as Entra ID or Keycloak issue
 * for access tokens), API bearer tokens must carry that audience, while the
 * ID token of a browser sign-in is still issued to the client id: an ID
 * token's `aud` must contain the client id of the relying party
 * (https://openid.net/specs/openid-connect-core-1_0.html#IDToken). env is
 * parsed once per process, hence a file of its own.
 */
const API_AUDIENCE = "api://nexius-platform";
let standIns: StandIns;
let whoami: (args: never) => unknown;

beforeAll(async () => {
  standIns = await startStandIns({ env: { NEXIUS_AUDIENCE: API_AUDIENCE } });
  const db = await import("~/db.server");
  await db.platformDb.tenant.create({ data: { slug: "acme", name: "Acme", status: "active" } });
  whoami = (await import("~/routes/api+/whoami")).loader;
});

afterAll(async () => {
  await standIns?.stop();
});

describe("NEXIUS_AUDIENCE", () => {
  it("still signs a browser in with an ID token issued to the client id", async () => {
    const browser = new AppBrowser();
    const { authorizeUrl } = await startSignIn(browser);
    const callback = await finishSignIn(browser, await signInAtIdp(browser, authorizeUrl, { email: "ops@acme.test", password: DEMO_PASSWORD }));
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/app");
    expect(browser.sessionId()).toBeDefined();
  });

  it("is the audience API bearer tokens must carry", async () => {
    const claims = { sub: "acme-ops-sub", email: "ops@acme.test", tenant_id: "acme", roles: ["ops"] };
    const api = await invoke(whoami, appRequest("/api/whoami", { token: await mintToken(standIns.idp, { ...claims, aud: API_AUDIENCE }) }));
    expect(api.status).toBe(200);
    const other = await invoke(whoami, appRequest("/api/whoami", { token: await mintToken(standIns.idp, { ...claims, aud: "someone-else" }) }));
    expect(other.status).toBe(401);
    expect(await other.json()).toMatchObject({ reason: "wrong_audience" });
    expect(PLATFORM_CLIENT.client_id).not.toBe(API_AUDIENCE);
  });
});
