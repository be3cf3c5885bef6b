import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenVerifier, endSessionUrl, type TokenVerifier } from "~/auth/tokens.server";
import { extractForms, OidcBrowser, pkcePair, signIn, tokenRequest } from "../../tests/support/oidc-browser";
import { DEMO_USERS, startDevIdp, type DevIdp } from "./idp.server";

const REDIRECT_URI = "http://localhost:3999/auth/callback";
const POST_LOGOUT_URI = "http://localhost:3999/signed-out";
const CLIENT = { client_id: "nexius-platform", client_secret: "test-secret", redirect_uri: REDIRECT_URI };
const ODOO = { client_id: "odoo", client_secret: "odoo-secret", redirect_uri: "http://localhost:8069/auth_oauth/signin" };
const CLIENTS = [
  {
    client_id: CLIENT.client_id,
    client_secret: CLIENT.client_secret,
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: [POST_LOGOUT_URI],
  },
  { client_id: ODOO.client_id, client_secret: ODOO.client_secret, redirect_uris: [ODOO.redirect_uri] },
];

let idp: DevIdp;
let verifier: TokenVerifier;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "dev-idp-"));
  idp = await startDevIdp({ port: 0, clients: CLIENTS, accountsFile: path.join(dataDir, "accounts.json") });
  verifier = createTokenVerifier({ issuer: idp.issuer, audience: CLIENT.client_id });
});

afterAll(async () => {
  await idp?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const demo = (email: string) => DEMO_USERS.find((u) => u.email === email)!;

async function authorizeUrl(extra: Record<string, string> = {}) {
  const { challenge } = pkcePair();
  const discovery = await verifier.discovery();
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: CLIENT.client_id,
    response_type: "code",
    scope: "openid email profile",
    redirect_uri: REDIRECT_URI,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s1",
    ...extra,
  }).toString();
  return url.toString();
}

/** Opens the authorization URL and returns the login page (after the redirect to the interaction). */
async function openLogin(browser: OidcBrowser, url: string) {
  const { response, url: at } = await browser.follow(await browser.request(url), url);
  const body = await response.text();
  return { status: response.status, body, url: at, form: extractForms(body, at)[0] };
}

describe("discovery and keys", () => {
  it("publishes an OpenID configuration with PKCE S256, logout, userinfo and our claims", async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(idp.issuer);
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
    expect(doc.end_session_endpoint).toBe(`${idp.issuer}/session/end`);
    expect(doc.userinfo_endpoint).toBe(`${idp.issuer}/me`);
    expect(doc.jwks_uri).toBe(`${idp.issuer}/.well-known/jwks.json`);
    expect(doc.response_types_supported).toEqual(["code"]);
    expect(doc.id_token_signing_alg_values_supported).toEqual(["RS256"]);
    expect(doc.claims_supported).toEqual(expect.arrayContaining(["sub", "email", "tenant_id", "roles", "odoo_db", "name"]));
  });

  it("publishes the public signing key only", async () => {
    const jwks = (await (await fetch(`${idp.issuer}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", kid: idp.kid, alg: "RS256", use: "sig" });
    for (const privatePart of ["d", "p", "q", "dp", "dq", "qi"]) expect(jwks.keys[0]).not.toHaveProperty(privatePart);
  });

  it("keeps the signing key across restarts when a key file is given", async () => {
    const keyFile = path.join(dataDir, "keys", "signing-key.json");
    const first = await startDevIdp({ port: 0, clients: CLIENTS, keyFile });
    await first.stop();
    const second = await startDevIdp({ port: 0, clients: CLIENTS, keyFile });
    await second.stop();
    expect(second.kid).toBe(first.kid);
    expect((await stat(keyFile)).mode & 0o077).toBe(0);
    expect(JSON.parse(await readFile(keyFile, "utf8")).keys[0].kid).toBe(first.kid);
    const fresh = await startDevIdp({ port: 0, clients: CLIENTS });
    await fresh.stop();
    expect(fresh.kid).not.toBe(first.kid);
  });
});

describe("authorization code flow with PKCE", () => {
  it("signs a multi-tenant user into the chosen tenant, with that tenant's roles in ID token and userinfo", async () => {
    const { tokens, nonce, discovery } = await signIn({
      issuer: idp.issuer,
      client: CLIENT,
      email: "multi@example.com",
      password: "demo",
      tenant: "globex",
    });
    expect(decodeProtectedHeader(tokens.id_token)).toMatchObject({ alg: "RS256", kid: idp.kid });
    const claims = await verifier.verify(tokens.id_token, { nonce });
    expect(claims).toMatchObject({
      sub: demo("multi@example.com").sub,
      email: "multi@example.com",
      name: "Morgan Multi",
      tenant_id: "globex",
      roles: ["viewer"],
    });

    const userinfo = await fetch(discovery.userinfo_endpoint!, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: claims.sub, tenant_id: "globex", roles: ["viewer"], email: "multi@example.com" });
  });

  it("offers each of the user's tenants, and the other choice yields the other tenant", async () => {
    const browser = new OidcBrowser();
    const login = await openLogin(browser, await authorizeUrl({ nonce: "n" }));
    const chooser = await browser.submit(login.form!, { email: "multi@example.com", password: "demo" });
    expect(chooser.status).toBe(200);
    const html = await chooser.text();
    expect(html).toContain("Choose a workspace");
    expect(extractForms(html, login.form!.action)[0]!.radios.tenant_id).toEqual(["acme", "globex"]);

    const { tokens } = await signIn({ issuer: idp.issuer, client: CLIENT, email: "multi@example.com", password: "demo", tenant: "acme" });
    expect(await verifier.verify(tokens.id_token)).toMatchObject({ tenant_id: "acme", roles: ["ops"] });
  });

  it("signs the same browser into a second application without asking again, in the same tenant", async () => {
    const first = await signIn({ issuer: idp.issuer, client: CLIENT, email: "multi@example.com", password: "demo", tenant: "globex" });
    const second = await signIn({ issuer: idp.issuer, client: ODOO, email: "unused", password: "unused", browser: first.browser });
    const odooVerifier = createTokenVerifier({ issuer: idp.issuer, audience: ODOO.client_id });
    expect(await odooVerifier.verify(second.tokens.id_token)).toMatchObject({
      sub: demo("multi@example.com").sub,
      tenant_id: "globex",
      roles: ["viewer"],
    });
  });

  it("refuses a tenant the user does not belong to", async () => {
    const browser = new OidcBrowser();
    const login = await openLogin(browser, await authorizeUrl());
    const chooser = await browser.submit(login.form!, { email: "multi@example.com", password: "demo" });
    const form = extractForms(await chooser.text(), login.form!.action)[0]!;
    const refused = await browser.submit(form, { tenant_id: "initech" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Choose one of your workspaces.");
  });

  it.each([
    ["ops@acme.test", { tenant_id: "acme", roles: ["ops"] }],
    ["viewer@acme.test", { tenant_id: "acme", roles: ["viewer"] }],
    ["admin@globex.test", { tenant_id: "globex", roles: ["admin"] }],
    ["owner@nexius.test", { tenant_id: undefined, roles: ["platform_owner"] }],
    ["finance@nexius.test", { tenant_id: undefined, roles: ["finance_owner"] }],
    ["new.user@example.com", { tenant_id: undefined, roles: [] }],
  ])("signs %s in without a chooser", async (email, expected) => {
    const { tokens } = await signIn({ issuer: idp.issuer, client: CLIENT, email, password: "demo" });
    const claims = await verifier.verify(tokens.id_token);
    expect(claims.sub).toBe(demo(email).sub);
    expect(claims.tenant_id).toBe(expected.tenant_id);
    expect(claims.roles).toEqual(expected.roles);
  });

  it("shows a clear error for a wrong password and for an unknown account", async () => {
    const browser = new OidcBrowser();
    const login = await openLogin(browser, await authorizeUrl());
    expect(login.status).toBe(200);
    expect(login.body).toMatch(/<label for="email">Email<\/label>/);
    expect(login.body).toMatch(/<label for="password">Password<\/label>/);

    const wrong = await browser.submit(login.form!, { email: "ops@acme.test", password: "nope" });
    expect(wrong.status).toBe(401);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('role="alert"');
    expect(wrongHtml).toContain("Wrong password");
    expect(wrongHtml).toContain('value="ops@acme.test"');

    const unknown = await browser.submit(login.form!, { email: "nobody@example.com", password: "demo" });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain("no such account for nobody@example.com");
  });

  it("uses HttpOnly, SameSite=Lax cookies with names that cannot collide with the platform's on localhost", async () => {
    const response = await fetch(await authorizeUrl(), { redirect: "manual" });
    const cookies = response.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^nexius_sso_/);
      expect(cookie.toLowerCase()).toContain("httponly");
      expect(cookie.toLowerCase()).toContain("samesite=lax");
    }
  });

  it("requires PKCE, with S256 only", async () => {
    const withoutPkce = new URL(await authorizeUrl());
    withoutPkce.searchParams.delete("code_challenge");
    withoutPkce.searchParams.delete("code_challenge_method");
    const plain = new URL(await authorizeUrl({ code_challenge_method: "plain" }));
    for (const url of [withoutPkce, plain]) {
      const response = await fetch(url, { redirect: "manual" });
      const location = new URL(response.headers.get("location")!);
      expect(location.origin + location.pathname).toBe(REDIRECT_URI);
      expect(location.searchParams.get("error")).toBe("invalid_request");
      expect(location.searchParams.get("error_description")).toMatch(/PKCE|code_challenge_method/);
    }
  });

  it("rejects a code redeemed with the wrong verifier", async () => {
    const browser = new OidcBrowser();
    const login = await openLogin(browser, await authorizeUrl());
    const done = await browser.submit(login.form!, { email: "ops@acme.test", password: "demo" });
    const { url } = await browser.follow(done, login.form!.action, REDIRECT_URI);
    const code = new URL(url).searchParams.get("code")!;
    const result = await tokenRequest(`${idp.issuer}/token`, CLIENT, {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkcePair().verifier,
    });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe("invalid_grant");
  });

  it("issues a refresh token whose grant keeps the chosen tenant", async () => {
    const { tokens } = await signIn({ issuer: idp.issuer, client: CLIENT, email: "multi@example.com", password: "demo", tenant: "acme" });
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await tokenRequest(`${idp.issuer}/token`, CLIENT, { grant_type: "refresh_token", refresh_token: tokens.refresh_token! });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
    const claims = await verifier.verify(refreshed.body.id_token as string);
    expect(claims).toMatchObject({ sub: demo("multi@example.com").sub, tenant_id: "acme", roles: ["ops"] });
  });

  it("ends the session through RP-initiated logout, which also ends its refresh token", async () => {
    const { tokens, browser } = await signIn({ issuer: idp.issuer, client: CLIENT, email: "ops@acme.test", password: "demo" });
    const logoutUrl = endSessionUrl(await verifier.discovery(), {
      idTokenHint: tokens.id_token,
      postLogoutRedirectUri: POST_LOGOUT_URI,
      state: "bye",
    })!;
    const confirm = await browser.request(logoutUrl);
    expect(confirm.status).toBe(200);
    const form = extractForms(await confirm.text(), logoutUrl).find((f) => f.id === "op.logoutForm")!;
    expect(form.fields.xsrf).toBeTruthy();
    const done = await browser.submit(form, { logout: "yes" });
    expect(done.status).toBe(303);
    const back = new URL(done.headers.get("location")!);
    expect(back.origin + back.pathname).toBe(POST_LOGOUT_URI);
    expect(back.searchParams.get("state")).toBe("bye");

    const refreshed = await tokenRequest(`${idp.issuer}/token`, CLIENT, { grant_type: "refresh_token", refresh_token: tokens.refresh_token! });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe("invalid_grant");

    const again = await openLogin(browser, await authorizeUrl());
    expect(again.form?.fields).toHaveProperty("password");
  });

  it("refuses a post-logout redirect the client did not register", async () => {
    const { tokens, browser } = await signIn({ issuer: idp.issuer, client: CLIENT, email: "ops@acme.test", password: "demo" });
    const response = await browser.request(
      endSessionUrl(await verifier.discovery(), { idTokenHint: tokens.id_token, postLogoutRedirectUri: "http://evil.test/" })!,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("post_logout_redirect_uri not registered");
  });

  it("lets a new user create an account, signs them in without a tenant, and remembers them after a restart", async () => {
    const browser = new OidcBrowser();
    const login = await openLogin(browser, await authorizeUrl());
    expect(login.body).toContain(">Create account</a>");
    const signUpHref = login.url.replace(/\/?$/, "/signup");
    const page = await browser.request(signUpHref);
    const form = extractForms(await page.text(), signUpHref)[0]!;

    const tooShort = await browser.submit(form, { name: "Sam Self", email: "sam@startup.test", password: "short" });
    expect(tooShort.status).toBe(400);
    expect(await tooShort.text()).toContain("Use at least 8 characters");

    const taken = await browser.submit(form, { name: "Sam Self", email: "ops@acme.test", password: "long-enough-1" });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain("already exists");

    const created = await browser.submit(form, { name: "Sam Self", email: "Sam@Startup.test", password: "long-enough-1" });
    expect(created.status).toBe(303);
    const { url } = await browser.follow(created, form.action, REDIRECT_URI);
    expect(new URL(url).searchParams.get("code")).toBeTruthy();

    const restarted = await startDevIdp({ port: 0, clients: CLIENTS, accountsFile: path.join(dataDir, "accounts.json") });
    try {
      const { tokens } = await signIn({ issuer: restarted.issuer, client: CLIENT, email: "sam@startup.test", password: "long-enough-1" });
      const claims = decodeJwt(tokens.id_token);
      expect(claims).toMatchObject({ email: "sam@startup.test", name: "Sam Self", roles: [] });
      expect(claims).not.toHaveProperty("tenant_id");
      expect(DEMO_USERS.map((u) => u.sub)).not.toContain(claims.sub);
    } finally {
      await restarted.stop();
    }
  });

  it("serves under an issuer path, as a Keycloak realm would", async () => {
    const probe = await startDevIdp({ port: 0, clients: CLIENTS });
    const port = Number(new URL(probe.issuer).port);
    await probe.stop();
    const realm = await startDevIdp({ port, issuer: `http://localhost:${port}/realms/dev`, clients: CLIENTS });
    try {
      expect(realm.issuer).toBe(`http://localhost:${port}/realms/dev`);
      const { tokens, nonce } = await signIn({ issuer: realm.issuer, client: CLIENT, email: "ops@acme.test", password: "demo" });
      const claims = await createTokenVerifier({ issuer: realm.issuer, audience: CLIENT.client_id }).verify(tokens.id_token, { nonce });
      expect(claims.tenant_id).toBe("acme");
    } finally {
      await realm.stop();
    }
  });

  it("explains an expired or foreign sign-in page instead of failing obscurely", async () => {
    const response = await fetch(`${idp.issuer}/interaction/not-a-real-one`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Sign-in expired");
  });
});

describe("POST /dev/token", () => {
  const post = (body: unknown, contentType = "application/json") =>
    fetch(`${idp.issuer}/dev/token`, {
      method: "POST",
      headers: { "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("mints an ID token with the provider's key that the verifier accepts", async () => {
    const response = await post({ sub: "api-client-1", email: "robot@acme.test", tenant_id: "acme", roles: ["ops"], odoo_db: "acme_db" });
    expect(response.status).toBe(200);
    const { id_token } = (await response.json()) as { id_token: string };
    expect(decodeProtectedHeader(id_token)).toMatchObject({ alg: "RS256", kid: idp.kid });
    const claims = await verifier.verify(id_token);
    expect(claims).toMatchObject({ sub: "api-client-1", email: "robot@acme.test", tenant_id: "acme", roles: ["ops"], odoo_db: "acme_db" });
    expect(decodeJwt(id_token)).toMatchObject({ iss: idp.issuer, aud: CLIENT.client_id });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it.each([
    [{ email: "a@b.test" }, /sub/],
    [{ sub: "x", email: "not-an-email" }, /email/],
    [{ sub: "x", email: "a@b.test", roles: "ops" }, /roles/],
    [{ sub: "x", email: "a@b.test", expires_in: 1.5 }, /expires_in/],
    [{ sub: "x", email: "a@b.test", admin: true }, /admin/],
  ])("answers 400 with the reason for %j", async (body, reason) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const payload = (await response.json()) as { error: string; error_description: string };
    expect(payload.error).toBe("invalid_request");
    expect(payload.error_description).toMatch(reason);
  });

  it("answers 400 to a body that is not JSON", async () => {
    expect((await post("{nope")).status).toBe(400);
    expect((await post("sub=x", "application/x-www-form-urlencoded")).status).toBe(400);
  });
});
