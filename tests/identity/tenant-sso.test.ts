import http from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { startEntraSimulator, type EntraSim } from "../sims/entra/server";
import { AppBrowser, appRequest, invoke, SESSION_COOKIE } from "../support/app-requests";
import { extractForms } from "../support/oidc-browser";
import { APP_URL, mintToken, type StandIns, startStandIns } from "../support/platform";
import { memberCookie, readyTenant, sessionRow } from "../support/workspace-users";

/**
 * Sign-in through a tenant's own identity provider, over HTTP against the
 * Entra simulator: the owner configures it on the SSO tab, a member types
 * their work email (or the workspace) and comes back through the real
 * authorization-code flow, joining the tenant with the mapped roles; "Sign in
 * with Microsoft" lets the token's directory pick the tenant; a test login
 * reports without signing in; a directory's token never lands in another
 * tenant, and an unknown directory gets a clear refusal. A tenant's provider
 * is reached through the SSRF-safe fetcher: the simulator is a fixture host
 * (SSO_HOST_OVERRIDES maps `localhost`), and a provider whose discovery
 * points at a loopback address by IP, or redirects there, is refused before
 * anything is sent there.
 */
const TID_CONTOSO = "6a1d9c4e-2b7f-4e0a-9c3d-1f2e3d4c5b6a";
const TID_FABRIKAM = "b3e2c1d0-7a6f-4b5e-8d4c-3a2b1c0d9e8f";
const TID_TAILSPIN = "0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b";
const CONTOSO_APP = { clientId: "contoso-nexius", clientSecret: "contoso-app-secret" };
const MULTI_TENANT_APP = { clientId: "nexius-multi-tenant", clientSecret: "nexius-entra-secret" };

let entra: EntraSim;
let standIns: StandIns;
let contoso: Tenant;
let fabrikam: Tenant;
let app: Awaited<ReturnType<typeof loadApp>>;
/** A tenant's provider run by someone who wants the platform to call into its network. */
let rogue: { server: http.Server; url: string; tokenRequests: number };
/** What listens on an address no tenant's provider may reach: it counts every request it gets. */
let internal: { server: http.Server; url: string; requests: string[] };

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The rogue provider's issuers: one names its keys on the internal address, one its token endpoint, one redirects its discovery there. */
async function startRogueProvider() {
  const { server, port } = await listen(async (req, res) => {
    const url = `http://localhost:${port}`;
    const [, issuer, ...rest] = (req.url ?? "/").split("/");
    const route = `${req.method} /${rest.join("/")}`;
    const json = (status: number, body: object) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (route === "GET /.well-known/openid-configuration" && issuer === "moved") {
      res.writeHead(302, { location: `${internal.url}/.well-known/openid-configuration` }).end();
      return;
    }
    if (route === "GET /.well-known/openid-configuration") {
      return json(200, {
        issuer: `${url}/${issuer}`,
        authorization_endpoint: `${url}/${issuer}/authorize`,
        token_endpoint: issuer === "token-inside" ? `${internal.url}/token` : `${url}/${issuer}/token`,
        jwks_uri: issuer === "keys-inside" ? `${internal.url}/keys` : `${url}/${issuer}/keys`,
      });
    }
    if (route === "POST /token") {
      rogue.tokenRequests++;
      let form = "";
      for await (const chunk of req) form += String(chunk);
      if (new URLSearchParams(form).get("code") === "used-code") return json(400, { error: "invalid_grant", error_description: "The code was used" });
      // An ID token shaped well enough that the verifier goes on to fetch the keys it names.
      const idToken = `${b64url({ alg: "RS256", kid: "rogue" })}.${b64url({ sub: "x", iss: `${url}/${issuer}` })}.c2lnbmF0dXJl`;
      return json(200, { access_token: "rogue-access", token_type: "Bearer", expires_in: 3600, id_token: idToken });
    }
    json(404, { error: "not_found" });
  });
  return { server, url: `http://localhost:${port}`, tokenRequests: 0 };
}

async function startInternalService() {
  const requests: string[] = [];
  const { server, port } = await listen((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ secret: "instance credentials" }));
  });
  return { server, url: `http://127.0.0.1:${port}`, requests };
}

async function loadApp() {
  const [db, sso, callback, tab, flow, providers, oidc, tenantApi] = await Promise.all([
    import("~/db.server"),
    import("~/routes/auth+/sso"),
    import("~/routes/auth+/sso_.callback"),
    import("~/routes/admin+/tenants.$id_.sso"),
    import("~/auth/tenant-sso/flow.server"),
    import("~/auth/tenant-sso/providers.server"),
    import("~/auth/oidc.server"),
    import("~/routes/api+/tenants.$id"),
  ]);
  return { platformDb: db.platformDb, sso, callback: callback.loader, tab, flow, providers, tokenVerifier: oidc.tokenVerifier, tenantApi: tenantApi.loader };
}

beforeAll(async () => {
  internal = await startInternalService();
  rogue = await startRogueProvider();
  entra = await startEntraSimulator({
    publicHost: "localhost",
    apps: [
      { ...CONTOSO_APP, redirectUris: [`${APP_URL}/auth/sso/callback`] },
      { ...MULTI_TENANT_APP, redirectUris: [`${APP_URL}/auth/sso/callback`] },
    ],
    directories: [
      {
        tid: TID_CONTOSO,
        domains: ["contoso.test"],
        users: [
          { username: "alice@contoso.test", name: "Alice Admin", roles: ["Sales.Admin"] },
          { username: "omar@contoso.test", name: "Omar Ops", roles: ["Sales.Ops", "Unmapped.Role"] },
          { username: "nobody@contoso.test", name: "No Role" },
        ],
      },
      { tid: TID_FABRIKAM, domains: ["fabrikam.test"], users: [{ username: "fay@fabrikam.test", name: "Fay", groups: ["5f0c-grp-viewers"] }] },
      { tid: TID_TAILSPIN, domains: ["tailspin.test"], users: [{ username: "carl@tailspin.test", name: "Carl", roles: ["Sales.Admin"] }] },
    ],
  });
  standIns = await startStandIns({
    env: {
      MS_LOGIN_BASE_URL: entra.url,
      ENTRA_CLIENT_ID: MULTI_TENANT_APP.clientId,
      ENTRA_CLIENT_SECRET: MULTI_TENANT_APP.clientSecret,
      // The simulators are fixture hosts; the internal service, at 127.0.0.1 by address, is not one.
      SSO_HOST_OVERRIDES: JSON.stringify({ localhost: "127.0.0.1" }),
    },
  });
  app = await loadApp();
  contoso = await readyTenant("contoso", "Contoso");
  fabrikam = await readyTenant("fabrikam", "Fabrikam");
  // Fabrikam maps a security group rather than app roles, and uses the platform's multi-tenant app.
  await app.providers.saveIdentityProvider(
    fabrikam.id,
    {
      kind: "entra",
      loginHost: entra.url,
      directoryId: TID_FABRIKAM,
      issuer: undefined,
      clientId: MULTI_TENANT_APP.clientId,
      clientSecret: MULTI_TENANT_APP.clientSecret,
      emailDomains: ["fabrikam.test"],
      rolesClaim: "groups",
      roleMapping: { "5f0c-grp-viewers": "viewer" },
      enabled: true,
    },
    { sub: "setup", email: null },
  );
});

afterAll(async () => {
  await Promise.allSettled([
    standIns?.stop(),
    entra?.close(),
    new Promise((resolve) => rogue?.server.close(resolve)),
    new Promise((resolve) => internal?.server.close(resolve)),
  ]);
});

const entraForm = () => ({
  intent: "save",
  kind: "entra",
  loginHost: entra.url,
  directoryId: TID_CONTOSO,
  clientId: CONTOSO_APP.clientId,
  emailDomains: "contoso.test",
  rolesClaim: "roles",
  roleMapping: "Sales.Admin = admin\nSales.Ops = ops",
  enabled: "on",
});

function withCookie(browser: AppBrowser, cookie: string) {
  browser.keep(new Response(null, { headers: { "set-cookie": `${cookie}; Path=/` } }));
}

/** Through the simulator's sign-in page as `login`; returns the callback URL it redirects to. */
async function signInAtEntra(browser: AppBrowser, authorizeUrl: string, login: string): Promise<string> {
  const page = await browser.oidc.request(authorizeUrl);
  const html = await page.text();
  const [form] = extractForms(html, authorizeUrl);
  if (!form) throw new Error(`no sign-in form at ${authorizeUrl}: ${html.slice(0, 300)}`);
  const answer = await browser.oidc.submit(form, { login });
  const location = answer.headers.get("location");
  if (answer.status !== 302 || !location) throw new Error(`the simulator answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
  return location;
}

async function callback(browser: AppBrowser, url: string) {
  const response = await invoke(app.callback, new Request(url, { headers: { cookie: browser.cookies() ?? "" } }));
  browser.keep(response);
  return response;
}

/** The sign-in page's form: returns the redirect it answers (to the provider, or to Nexius SSO). */
async function typeAccount(browser: AppBrowser, account: string, returnTo = "/app") {
  const response = await invoke(app.sso.action, appRequest("/auth/sso", { form: { account, returnTo }, cookie: browser.cookies() }));
  browser.keep(response);
  return response;
}

async function memberOf(tenantId: string, sub: string) {
  const user = await app.platformDb.user.findUnique({ where: { sub } });
  return user ? app.platformDb.tenantUser.findUnique({ where: { tenantId_userId: { tenantId, userId: user.id } } }) : null;
}

describe("a tenant's identity provider on its SSO tab", () => {
  it("is saved by the owner with the secret sealed and never shown, seen (also in GET /api/tenants/:id) but not changed by an operator", async () => {
    const owner = await memberCookie("sso-owner", ["platform_owner"], null);
    const operator = await memberCookie("sso-operator", ["platform_operator"], null);
    const params = { id: contoso.id };
    const saved = await invoke(
      app.tab.action,
      appRequest(`/admin/tenants/${contoso.id}/sso`, { cookie: owner.cookie, form: { ...entraForm(), clientSecret: CONTOSO_APP.clientSecret } }),
      params,
    );
    const answer = await saved.text();
    expect(JSON.parse(answer)).toMatchObject({ ok: true });
    // Write-only: not even the answer to the save carries the secret back.
    expect(answer).not.toContain(CONTOSO_APP.clientSecret);

    const row = await app.platformDb.tenantIdentityProvider.findUniqueOrThrow({ where: { tenantId: contoso.id } });
    expect(row).toMatchObject({ kind: "entra", issuer: `${entra.url}/${TID_CONTOSO}/v2.0`, entraTenantId: TID_CONTOSO, emailDomains: ["contoso.test"] });
    expect(Buffer.from(row.clientSecretCipher).toString("latin1")).not.toContain(CONTOSO_APP.clientSecret);

    // Saving with the secret left blank keeps the stored one.
    await invoke(app.tab.action, appRequest(`/admin/tenants/${contoso.id}/sso`, { cookie: owner.cookie, form: { ...entraForm(), clientSecret: "" } }), params);
    expect((await app.providers.providerById(row.id, { enabledOnly: true }))?.clientSecret).toBe(CONTOSO_APP.clientSecret);

    const page = await invoke(app.tab.loader, appRequest(`/admin/tenants/${contoso.id}/sso`, { cookie: operator.cookie }), params);
    const text = await page.text();
    expect(page.status).toBe(200);
    expect(text).toContain(CONTOSO_APP.clientId);
    expect(text).not.toContain(CONTOSO_APP.clientSecret);
    expect(JSON.parse(text)).toMatchObject({ canEdit: false, redirectUri: `${APP_URL}/auth/sso/callback` });

    const api = await invoke(app.tenantApi, appRequest(`/api/tenants/${contoso.id}`, { cookie: operator.cookie }), params);
    expect(await api.json()).toMatchObject({
      sso: { provider: "entra", directory_id: TID_CONTOSO, client_id: CONTOSO_APP.clientId, email_domains: ["contoso.test"], enabled: true },
    });
    expect(
      await (await invoke(app.tenantApi, appRequest(`/api/tenants/${fabrikam.id}`, { cookie: operator.cookie }), { id: fabrikam.id })).text(),
    ).not.toContain(MULTI_TENANT_APP.clientSecret);

    const refused = await invoke(
      app.tab.action,
      appRequest(`/admin/tenants/${contoso.id}/sso`, { cookie: operator.cookie, form: { ...entraForm(), enabled: "" } }),
      params,
    );
    expect(refused.status).toBe(403);
    expect((await app.platformDb.tenantIdentityProvider.findUniqueOrThrow({ where: { tenantId: contoso.id } })).enabled).toBe(true);
  });

  it("refuses another tenant's directory or email domain", async () => {
    const owner = await memberCookie("sso-owner", ["platform_owner"], null);
    const answer = await invoke(
      app.tab.action,
      appRequest(`/admin/tenants/${contoso.id}/sso`, { cookie: owner.cookie, form: { ...entraForm(), directoryId: TID_FABRIKAM } }),
      { id: contoso.id },
    );
    expect(await answer.json()).toMatchObject({ ok: false, message: expect.stringContaining("directory belongs to one tenant") });
    const domain = await invoke(
      app.tab.action,
      appRequest(`/admin/tenants/${contoso.id}/sso`, { cookie: owner.cookie, form: { ...entraForm(), emailDomains: "contoso.test, fabrikam.test" } }),
      { id: contoso.id },
    );
    expect(await domain.json()).toMatchObject({ ok: false, message: expect.stringContaining("fabrikam.test") });
  });

  it("runs a test login that reports the claims and their mapping without signing anyone in", async () => {
    const owner = await memberCookie("sso-owner", ["platform_owner"], null);
    const browser = new AppBrowser();
    withCookie(browser, owner.cookie);
    const other = await memberCookie("sso-other-operator", ["platform_operator"], null);
    const sessionsBefore = await app.platformDb.session.count();
    const started = await invoke(app.tab.action, appRequest(`/admin/tenants/${contoso.id}/sso`, { cookie: browser.cookies(), form: { intent: "test" } }), {
      id: contoso.id,
    });
    expect(started.status).toBe(302);
    browser.keep(started);
    const authorize = new URL(started.headers.get("location")!);
    expect(authorize.origin + authorize.pathname).toBe(`${entra.url}/${TID_CONTOSO}/oauth2/v2.0/authorize`);
    expect(authorize.searchParams.get("prompt")).toBe("login");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");

    // Another operator cannot read the report of this test login.
    const callbackUrl = await signInAtEntra(browser, authorize.toString(), "omar@contoso.test");
    const stolen = await invoke(
      app.callback,
      new Request(callbackUrl, {
        headers: {
          cookie: `${other.cookie}; ${browser
            .cookies()!
            .split("; ")
            .find((c) => c.startsWith("nexius_tenant_sso="))}`,
        },
      }),
    );
    expect(stolen.status).toBe(403);

    const report = await callback(browser, callbackUrl);
    expect(report.status).toBe(200);
    const body = (await report.json()) as { kind: string; report: Record<string, unknown> & { claims: Array<{ name: string; value: string }> } };
    expect(body.kind).toBe("test");
    expect(body.report).toMatchObject({
      tenant: { slug: "contoso" },
      email: "omar@contoso.test",
      claimValues: ["Sales.Ops", "Unmapped.Role"],
      roles: ["ops"],
      sub: expect.stringMatching(new RegExp(`^entra\\|${TID_CONTOSO}\\|`)),
    });
    expect(body.report.claims.map((c) => c.name)).toEqual(expect.arrayContaining(["tid", "oid", "preferred_username", "roles", "iss"]));
    expect(await app.platformDb.session.count()).toBe(sessionsBefore);
    expect(await app.platformDb.user.findFirst({ where: { email: "omar@contoso.test" } })).toBeNull();
  });
});

describe("a test login from the tenant portal", () => {
  it("is run by the workspace's admin at its own provider; its report is theirs alone, and other members cannot start one", async () => {
    const portal = await import("~/routes/app+/portal.sso");
    const admin = await memberCookie("fabrikam-portal-admin", ["admin"], fabrikam.id);
    const viewer = await memberCookie("fabrikam-portal-viewer", ["viewer"], fabrikam.id);
    expect((await invoke(portal.action, appRequest("/app/portal/sso", { cookie: viewer.cookie, form: { intent: "test" } }))).status).toBe(403);

    const browser = new AppBrowser();
    withCookie(browser, admin.cookie);
    const started = await invoke(portal.action, appRequest("/app/portal/sso", { cookie: browser.cookies(), form: { intent: "test" } }));
    expect(started.status).toBe(302);
    browser.keep(started);
    const authorize = new URL(started.headers.get("location")!);
    expect(authorize.origin + authorize.pathname).toBe(`${entra.url}/${TID_FABRIKAM}/oauth2/v2.0/authorize`);
    const callbackUrl = await signInAtEntra(browser, authorize.toString(), "fay@fabrikam.test");

    // The flow's cookie in a viewer's request: not who started it.
    const flowCookie = browser
      .cookies()!
      .split("; ")
      .find((c) => c.startsWith("nexius_tenant_sso="));
    const stolen = await invoke(app.callback, new Request(callbackUrl, { headers: { cookie: `${viewer.cookie}; ${flowCookie}` } }));
    expect(stolen.status).toBe(403);

    const report = await callback(browser, callbackUrl);
    expect(report.status).toBe(200);
    expect(await report.json()).toMatchObject({
      kind: "test",
      back: "/app/portal/sso",
      report: { tenant: { slug: "fabrikam" }, email: "fay@fabrikam.test", roles: ["viewer"] },
    });
    expect(await app.platformDb.user.findFirst({ where: { email: "fay@fabrikam.test" } })).toBeNull();
  });

  it("refuses the report to an admin of another workspace who started the flow for theirs", async () => {
    // The admin's membership moved to Contoso after starting Fabrikam's test login: the report is Fabrikam's admins' only.
    const portal = await import("~/routes/app+/portal.sso");
    const admin = await memberCookie("moving-admin", ["admin"], fabrikam.id);
    const browser = new AppBrowser();
    withCookie(browser, admin.cookie);
    const started = await invoke(portal.action, appRequest("/app/portal/sso", { cookie: browser.cookies(), form: { intent: "test" } }));
    browser.keep(started);
    const callbackUrl = await signInAtEntra(browser, started.headers.get("location")!, "fay@fabrikam.test");
    const { platformDb } = app;
    const user = await platformDb.user.findUniqueOrThrow({ where: { sub: admin.sub } });
    await platformDb.session.updateMany({ where: { userId: user.id }, data: { tenantId: contoso.id } });
    const refused = await callback(browser, callbackUrl);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/operators and the workspace's admins/);
  });
});

describe("signing in through the tenant's provider", () => {
  it("finds it by work email and joins the tenant with the mapped roles, as the same user next time", async () => {
    const tenantsBefore = await app.platformDb.tenant.count();
    const browser = new AppBrowser();
    const started = await typeAccount(browser, "Alice@Contoso.test", "/app/runs");
    expect(started.status).toBe(302);
    const authorize = new URL(started.headers.get("location")!);
    expect(authorize.href.startsWith(`${entra.url}/${TID_CONTOSO}/oauth2/v2.0/authorize?`)).toBe(true);
    expect(authorize.searchParams.get("login_hint")).toBe("Alice@Contoso.test");

    const landed = await callback(browser, await signInAtEntra(browser, authorize.toString(), "alice@contoso.test"));
    expect(landed.status).toBe(302);
    expect(landed.headers.get("location")).toBe("/app/runs");
    const session = await sessionRow(browser.cookie(SESSION_COOKIE)!);
    expect(session).toMatchObject({ tenantId: contoso.id, roles: ["admin"], email: "alice@contoso.test" });
    expect(session!.sub).toMatch(new RegExp(`^entra\\|${TID_CONTOSO}\\|[0-9a-f-]{36}$`));
    expect(await memberOf(contoso.id, session!.sub)).toMatchObject({ roles: ["admin"] });
    expect((await app.platformDb.user.findUniqueOrThrow({ where: { sub: session!.sub } })).emailVerified).toBe(true);
    // No workspace of its own was provisioned: the user joined the provider's tenant.
    expect(await app.platformDb.tenant.count()).toBe(tenantsBefore);

    const again = new AppBrowser();
    await callback(again, await signInAtEntra(again, (await typeAccount(again, "contoso")).headers.get("location")!, "alice@contoso.test"));
    expect((await sessionRow(again.cookie(SESSION_COOKIE)!))!.sub).toBe(session!.sub);
  });

  it("finds it by workspace slug, mapping a group claim", async () => {
    const browser = new AppBrowser();
    const started = await typeAccount(browser, "fabrikam");
    expect(started.headers.get("location")).toContain(`${entra.url}/${TID_FABRIKAM}/oauth2/v2.0/authorize?`);
    await callback(browser, await signInAtEntra(browser, started.headers.get("location")!, "fay@fabrikam.test"));
    expect(await sessionRow(browser.cookie(SESSION_COOKIE)!)).toMatchObject({ tenantId: fabrikam.id, roles: ["viewer"] });
  });

  it("sends anyone whose email or workspace names no provider to Nexius SSO", async () => {
    const response = await typeAccount(new AppBrowser(), "someone@example.com", "/app/icp");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/auth/login?returnTo=${encodeURIComponent("/app/icp")}`);
  });

  it("refuses an account none of whose roles is mapped, opening no session", async () => {
    const browser = new AppBrowser();
    const response = await callback(
      browser,
      await signInAtEntra(browser, (await typeAccount(browser, "nobody@contoso.test")).headers.get("location")!, "nobody@contoso.test"),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ kind: "error", message: expect.stringContaining("no role in this workspace") });
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
  });

  it("refuses a newcomer past the plan's seats with the plan's message, opening no session and adding no member", async () => {
    const members = await app.platformDb.tenantUser.count({ where: { tenantId: contoso.id } });
    await app.platformDb.plan.create({ data: { code: "contoso-full", name: "Contoso full", seats: members } });
    await app.platformDb.tenant.update({ where: { id: contoso.id }, data: { plan: "contoso-full" } });
    const browser = new AppBrowser();
    const response = await callback(
      browser,
      await signInAtEntra(browser, (await typeAccount(browser, "omar@contoso.test")).headers.get("location")!, "omar@contoso.test"),
    );
    expect(response.status).toBe(402);
    expect(await response.json()).toEqual({
      kind: "error",
      message: `You could not join this workspace. The Contoso full plan allows ${members} seats (${members} in use). Ask your administrator to change the plan.`,
      back: null,
    });
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
    expect(await app.platformDb.tenantUser.count({ where: { tenantId: contoso.id } })).toBe(members);
    expect(await app.platformDb.user.findFirst({ where: { email: "omar@contoso.test" } })).toBeNull();
    await app.platformDb.tenant.update({ where: { id: contoso.id }, data: { plan: "trial" } });
  });

  it("refuses a callback whose state is not this browser's", async () => {
    const browser = new AppBrowser();
    const url = await signInAtEntra(browser, (await typeAccount(browser, "alice@contoso.test")).headers.get("location")!, "alice@contoso.test");
    const response = await callback(new AppBrowser(), url);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: expect.stringContaining("expired or was opened in another browser") });
  });
});

describe("Sign in with Microsoft (the platform's multi-tenant app)", () => {
  async function signInWithMicrosoft(login: string) {
    const browser = new AppBrowser();
    const started = await invoke(app.sso.loader, appRequest("/auth/sso?with=microsoft&returnTo=%2Fapp"));
    expect(started.status).toBe(302);
    browser.keep(started);
    const authorize = started.headers.get("location")!;
    expect(authorize.startsWith(`${entra.url}/organizations/oauth2/v2.0/authorize?`)).toBe(true);
    return { browser, response: await callback(browser, await signInAtEntra(browser, authorize, login)) };
  }

  it("lands a token in the tenant of its own directory, never another", async () => {
    const fay = await signInWithMicrosoft("fay@fabrikam.test");
    expect(fay.response.status).toBe(302);
    expect(await sessionRow(fay.browser.cookie(SESSION_COOKIE)!)).toMatchObject({ tenantId: fabrikam.id, roles: ["viewer"] });
    const alice = await signInWithMicrosoft("alice@contoso.test");
    const session = await sessionRow(alice.browser.cookie(SESSION_COOKIE)!);
    expect(session).toMatchObject({ tenantId: contoso.id, roles: ["admin"] });
    expect(await memberOf(fabrikam.id, session!.sub)).toBeNull();
  });

  it("refuses a member of one directory at another workspace's provider", async () => {
    // Fabrikam's provider names Fabrikam's directory: Contoso's Alice is not in it, and gets no code.
    const browser = new AppBrowser();
    const page = await browser.oidc.request((await typeAccount(browser, "fabrikam")).headers.get("location")!);
    const [form] = extractForms(await page.text(), page.url);
    const answer = await browser.oidc.submit(form!, { login: "alice@contoso.test" });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain("AADSTS50034");
  });

  it("answers a directory no tenant connected with a clear refusal", async () => {
    const { browser, response } = await signInWithMicrosoft("carl@tailspin.test");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ message: expect.stringContaining(`directory ${TID_TAILSPIN}) is not connected to a workspace`) });
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
  });
});

describe("issuer validation", () => {
  it("refuses a directory's token at another directory's issuer, and accepts it at the multi-tenant template for its own tid", async () => {
    const { createTokenVerifier, TokenError } = await import("~/auth/tokens.server");
    // A real ID token of directory A (Contoso), issued to the multi-tenant app.
    const browser = new AppBrowser();
    const started = await invoke(app.sso.loader, appRequest("/auth/sso?with=microsoft"));
    browser.keep(started);
    const callbackUrl = new URL(await signInAtEntra(browser, started.headers.get("location")!, "alice@contoso.test"));
    const verifier = new URL(started.headers.get("location")!).searchParams.get("code_challenge");
    expect(verifier).toBeTruthy();
    const flow = app.flow.readFlow(new Request(APP_URL, { headers: { cookie: browser.cookies()! } }))!;
    const tokens = (await (
      await fetch(`${entra.url}/organizations/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: callbackUrl.searchParams.get("code")!,
          redirect_uri: `${APP_URL}/auth/sso/callback`,
          client_id: MULTI_TENANT_APP.clientId,
          client_secret: MULTI_TENANT_APP.clientSecret,
          code_verifier: flow.codeVerifier,
        }),
      })
    ).json()) as { id_token: string };

    const atFabrikam = createTokenVerifier({ issuer: `${entra.url}/${TID_FABRIKAM}/v2.0`, audience: MULTI_TENANT_APP.clientId });
    const refused = await atFabrikam.verifyPayload(tokens.id_token).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TokenError);
    expect((refused as InstanceType<typeof TokenError>).reason).toBe("wrong_issuer");

    const multiTenant = createTokenVerifier({
      issuer: `${entra.url}/{tenantid}/v2.0`,
      discoveryUrl: `${entra.url}/organizations/v2.0/.well-known/openid-configuration`,
      audience: MULTI_TENANT_APP.clientId,
    });
    expect(await multiTenant.verifyPayload(tokens.id_token)).toMatchObject({ tid: TID_CONTOSO, iss: `${entra.url}/${TID_CONTOSO}/v2.0` });
  });

  it("refuses a platform IdP token whose subject has the shape of a tenant provider's user", async () => {
    const token = await mintToken(standIns.idp, { sub: `entra|${TID_CONTOSO}|someone`, email: "x@contoso.test", roles: ["admin"] });
    const error = await app
      .tokenVerifier()
      .verify(token)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "claims_invalid" });
  });
});

describe("a tenant's provider that points the platform into its own network", () => {
  const refusal = (url: string) =>
    `Your organisation's sign-in service cannot be used: ${url} is not an address Nexius connects to: a sign-in service needs a public https address.`;

  async function rogueTenant(slug: string) {
    const tenant = await readyTenant(slug, slug);
    await app.providers.saveIdentityProvider(
      tenant.id,
      {
        kind: "oidc",
        issuer: `${rogue.url}/${slug.replace(/^rogue-/, "")}`,
        loginHost: undefined,
        directoryId: undefined,
        clientId: "rogue-client",
        clientSecret: "rogue-secret",
        emailDomains: [`${slug}.test`],
        rolesClaim: "roles",
        roleMapping: { admin: "admin" },
        enabled: true,
      },
      { sub: "setup", email: null },
    );
    return tenant;
  }

  /** Signs in at the rogue provider by workspace slug; its authorize page is skipped, the callback carries `code`. */
  async function signInAtRogue(slug: string, code = "rogue-code") {
    const browser = new AppBrowser();
    const started = await typeAccount(browser, slug);
    expect(started.status).toBe(302);
    const authorize = new URL(started.headers.get("location")!);
    expect(authorize.origin + authorize.pathname).toBe(`${rogue.url}/${slug.replace(/^rogue-/, "")}/authorize`);
    return callback(browser, `${APP_URL}/auth/sso/callback?code=${code}&state=${authorize.searchParams.get("state")}`);
  }

  it("refuses signing keys its discovery names at an internal address, fetching nothing there", async () => {
    await rogueTenant("rogue-keys-inside");
    const tokensBefore = rogue.tokenRequests;
    const response = await signInAtRogue("rogue-keys-inside");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ kind: "error", message: refusal(`${internal.url}/keys`), back: null });
    // The code was redeemed at the provider's own token endpoint; only the key set's address was refused.
    expect(rogue.tokenRequests).toBe(tokensBefore + 1);
    expect(internal.requests).toEqual([]);

    // Through the safe fetcher, the token endpoint's OAuth error still says what went wrong.
    const used = await signInAtRogue("rogue-keys-inside", "used-code");
    expect(used.status).toBe(400);
    expect(await used.json()).toMatchObject({ message: "Your organisation's sign-in service refused the code (invalid_grant). Please start again." });
  });

  it("refuses a token endpoint at an internal address, sending it neither the code nor the client's secret", async () => {
    await rogueTenant("rogue-token-inside");
    const response = await signInAtRogue("rogue-token-inside");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ kind: "error", message: refusal(`${internal.url}/token`), back: null });
    expect(internal.requests).toEqual([]);
  });

  it("refuses a discovery document that redirects to an internal address, on sign-in and in the admin's test login", async () => {
    const tenant = await rogueTenant("rogue-moved");
    const response = await typeAccount(new AppBrowser(), "rogue-moved");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ message: refusal(`${internal.url}/.well-known/openid-configuration`) });
    expect(await app.flow.startTestLogin(tenant.id, { testerSub: "rogue-admin", returnTo: "/app/portal/sso" })).toEqual({
      ok: false,
      message: refusal(`${internal.url}/.well-known/openid-configuration`),
    });
    expect(internal.requests).toEqual([]);
  });
});
