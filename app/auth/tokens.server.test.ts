import { createPublicKey } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { base64url, decodeJwt, exportSPKI, generateKeyPair, importJWK, SignJWT, type JWTPayload } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generateSigningKey, publicJwk, type SigningKey } from "~/dev/idp-keys.server";
import { startDevIdp, type DevIdp } from "~/dev/idp.server";
import { signIn } from "../../tests/support/oidc-browser";
import { createTokenVerifier, endSessionUrl, fetchDiscovery, IdentityProviderUnavailableError, TokenError, type TokenErrorReason } from "./tokens.server";

const CLIENT = { client_id: "nexius-platform", client_secret: "test-secret", redirect_uri: "http://localhost:3999/auth/callback" };
const CLIENTS = [{ client_id: CLIENT.client_id, client_secret: CLIENT.client_secret, redirect_uris: [CLIENT.redirect_uri] }];

let idp: DevIdp;
let dataDir: string;
/** The IdP's own private key (written to its key file by the test), to sign tokens /dev/token would refuse. */
let idpKey: SigningKey;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "token-verifier-"));
  idpKey = await generateSigningKey();
  const keyFile = path.join(dataDir, "signing-key.json");
  await writeFile(keyFile, JSON.stringify({ keys: [idpKey] }), { mode: 0o600 });
  idp = await startDevIdp({ port: 0, clients: CLIENTS, keyFile });
});

afterAll(async () => {
  await idp?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  vi.useRealTimers();
});

async function devToken(body: Record<string, unknown>, issuer = idp.issuer): Promise<string> {
  const response = await fetch(`${issuer}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sub: "user-1", email: "ops@acme.test", tenant_id: "acme", roles: ["ops"], ...body }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id_token: string }).id_token;
}

function baseClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: idp.issuer,
    aud: CLIENT.client_id,
    sub: "user-1",
    email: "ops@acme.test",
    roles: ["ops"],
    tenant_id: "acme",
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

async function signWith(key: SigningKey | CryptoKey, kid: string, claims: JWTPayload, alg = "RS256") {
  const signingKey = key instanceof CryptoKey ? key : await importJWK(key, alg);
  return new SignJWT(claims).setProtectedHeader({ alg, kid }).sign(signingKey);
}

async function expectReason(promise: Promise<unknown>, reason: TokenErrorReason) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  expect((error as TokenError).reason).toBe(reason);
  expect((error as TokenError).message.length).toBeGreaterThan(10);
}

const verifierFor = (options: Partial<Parameters<typeof createTokenVerifier>[0]> = {}) =>
  createTokenVerifier({ issuer: idp.issuer, audience: CLIENT.client_id, ...options });

describe("accepting tokens", () => {
  it("accepts an ID token from a real sign-in and checks its nonce", async () => {
    const verifier = verifierFor();
    const { tokens, nonce } = await signIn({ issuer: idp.issuer, client: CLIENT, email: "admin@globex.test", password: "demo" });
    expect(await verifier.verify(tokens.id_token, { nonce })).toMatchObject({
      email: "admin@globex.test",
      tenant_id: "globex",
      roles: ["admin"],
      name: "Grace Admin",
    });
    await expectReason(verifier.verify(tokens.id_token, { nonce: "another-sign-in" }), "nonce_mismatch");
  });

  it("accepts a bearer token minted by /dev/token, tolerating small clock skew", async () => {
    const verifier = verifierFor({ clockToleranceSec: 30 });
    const claims = await verifier.verify(await devToken({ expires_in: -10 }));
    expect(claims).toEqual({
      sub: "user-1",
      email: "ops@acme.test",
      email_verified: true,
      tenant_id: "acme",
      roles: ["ops"],
      exp: expect.any(Number),
      iat: expect.any(Number),
    });
  });

  it("reads email_verified as verified only when it is exactly true, and accepts tokens without it", async () => {
    const verifier = verifierFor({});
    expect((await verifier.verify(await signWith(idpKey, idpKey.kid, baseClaims({})))).email_verified).toBe(false);
    for (const [value, verified] of [
      [true, true],
      [false, false],
      ["true", false],
      [1, false],
    ] as const) {
      const claims = await verifier.verify(await signWith(idpKey, idpKey.kid, baseClaims({ email_verified: value })));
      expect(claims.email_verified, String(value)).toBe(verified);
    }
  });

  it("accepts any configured audience and coerces a numeric tenant_id", async () => {
    const verifier = verifierFor({ audience: ["other-app", "api://nexius"] });
    expect(await verifier.verify(await devToken({ aud: "api://nexius" }))).toMatchObject({ tenant_id: "acme" });
    const numeric = await signWith(idpKey, idpKey.kid, baseClaims({ aud: "other-app", tenant_id: 42 }));
    expect((await verifier.verify(numeric)).tenant_id).toBe("42");
  });
});

describe("ID tokens for the platform's client", () => {
  it("need the client id in aud even when API tokens use another audience, and azp naming it when aud has several", async () => {
    const verifier = verifierFor({ audience: "api://nexius" });
    const client = CLIENT.client_id;
    expect(await verifier.verify(await signWith(idpKey, idpKey.kid, baseClaims({ aud: client })), { clientId: client })).toMatchObject({ sub: "user-1" });
    expect(await verifier.verify(await signWith(idpKey, idpKey.kid, baseClaims({ aud: [client, "other"], azp: client })), { clientId: client })).toMatchObject({
      sub: "user-1",
    });
    await expectReason(verifier.verify(await signWith(idpKey, idpKey.kid, baseClaims({ aud: "api://nexius" })), { clientId: client }), "wrong_audience");
    await expectReason(verifier.verify(await signWith(idpKey, idpKey.kid, baseClaims({ aud: [client, "other"] })), { clientId: client }), "wrong_audience");
    await expectReason(verifier.verify(await signWith(idpKey, idpKey.kid, baseClaims({ aud: client, azp: "other" })), { clientId: client }), "wrong_audience");
    // As a bearer token, a token another client asked for is fine when it names our audience.
    expect(await verifier.verify(await signWith(idpKey, idpKey.kid, baseClaims({ aud: ["api://nexius", "other"], azp: "cli" })))).toMatchObject({
      sub: "user-1",
    });
  });
});

describe("rejecting tokens", () => {
  const verifier = () => verifierFor({ clockToleranceSec: 30 });

  it("rejects a missing token", async () => {
    await expectReason(verifier().verify(undefined), "missing");
    await expectReason(verifier().verify(""), "missing");
    await expectReason(verifier().verify("   "), "missing");
  });

  it("rejects garbage", async () => {
    await expectReason(verifier().verify("not-a-token"), "malformed");
    await expectReason(verifier().verify("a.b.c"), "malformed");
    await expectReason(verifier().verify("a.b.c.d.e"), "malformed");
  });

  it('rejects alg "none"', async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = base64url.encode(JSON.stringify(baseClaims()));
    await expectReason(verifier().verify(`${header}.${payload}.`), "alg_not_allowed");
  });

  it("rejects HS256 tokens keyed with the IdP's public key (PEM or JWK as the HMAC secret)", async () => {
    const pem = await exportSPKI(createPublicKey({ key: publicJwk(idpKey) as import("node:crypto").JsonWebKey, format: "jwk" }));
    const jwkText = JSON.stringify(publicJwk(idpKey));
    for (const secret of [pem, jwkText]) {
      const forged = await new SignJWT(baseClaims({ tenant_id: "globex" }))
        .setProtectedHeader({ alg: "HS256", kid: idpKey.kid })
        .sign(new TextEncoder().encode(secret));
      await expectReason(verifier().verify(forged), "alg_not_allowed");
    }
  });

  it("rejects a token signed by a foreign key that claims the IdP's kid", async () => {
    const foreign = await generateSigningKey();
    await expectReason(verifier().verify(await signWith(foreign, idpKey.kid, baseClaims())), "bad_signature");
  });

  it("rejects a token whose tenant_id was edited after signing", async () => {
    const [header, payload, signature] = (await devToken({ tenant_id: "acme" })).split(".");
    const edited = { ...decodeJwt(`${header}.${payload}.${signature}`), tenant_id: "globex" };
    const tampered = `${header}.${base64url.encode(JSON.stringify(edited))}.${signature}`;
    await expectReason(verifier().verify(tampered), "bad_signature");
  });

  it("rejects the wrong issuer", async () => {
    await expectReason(verifier().verify(await signWith(idpKey, idpKey.kid, baseClaims({ iss: "http://evil.test" }))), "wrong_issuer");
  });

  it("rejects the wrong audience", async () => {
    await expectReason(verifier().verify(await devToken({ aud: "someone-else" })), "wrong_audience");
  });

  it("rejects an expired token beyond the clock tolerance", async () => {
    await expectReason(verifier().verify(await devToken({ expires_in: -120 })), "expired");
  });

  it("rejects a token that is not valid yet", async () => {
    await expectReason(verifier().verify(await devToken({ nbf: Math.floor(Date.now() / 1000) + 3600 })), "not_yet_valid");
  });

  it("rejects correctly signed tokens whose claims are unusable", async () => {
    const sign = (claims: JWTPayload) => signWith(idpKey, idpKey.kid, claims);
    await expectReason(verifier().verify(await sign(baseClaims({ email: undefined }))), "claims_invalid");
    await expectReason(verifier().verify(await sign(baseClaims({ roles: "admin" }))), "claims_invalid");
    await expectReason(verifier().verify(await sign(baseClaims({ exp: undefined }))), "claims_invalid");
  });

  it("rejects algorithms outside the pinned list even when the key would verify", async () => {
    const es = await generateKeyPair("ES256");
    const token = await signWith(es.privateKey, "es-key", baseClaims(), "ES256");
    await expectReason(verifierFor({ algorithms: ["RS256"] }).verify(token), "alg_not_allowed");
  });
});

describe("signing keys", () => {
  it("refetches the JWKS once for an unknown kid after the IdP rotates its key, then cools down", async () => {
    let first: DevIdp | undefined = await startDevIdp({ port: 0, clients: CLIENTS });
    const port = Number(new URL(first.issuer).port);
    let second: DevIdp | undefined;
    try {
      const jwksFetches: string[] = [];
      const countingFetch = (input: string, init?: RequestInit) => {
        if (String(input).endsWith("/jwks.json")) jwksFetches.push(String(input));
        return fetch(input, init);
      };
      const verifier = createTokenVerifier({ issuer: first.issuer, audience: CLIENT.client_id, discoveryFetch: countingFetch });
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });

      await verifier.verify(await devToken({}, first.issuer));
      await verifier.verify(await devToken({}, first.issuer));
      expect(jwksFetches).toHaveLength(1);

      await first.stop();
      first = undefined;
      second = await startDevIdp({ port, clients: CLIENTS });
      expect(second.issuer).toBe(`http://localhost:${port}`);
      const rotated = await devToken({ tenant_id: "globex", roles: ["viewer"] }, second.issuer);

      vi.setSystemTime(Date.now() + 31_000);
      expect(await verifier.verify(rotated)).toMatchObject({ tenant_id: "globex" });
      expect(jwksFetches).toHaveLength(2);

      const stranger = await generateSigningKey();
      const unknownKid = await signWith(stranger, stranger.kid, baseClaims({ iss: second.issuer }));
      await expectReason(verifier.verify(unknownKid), "unknown_key");
      await expectReason(verifier.verify(unknownKid), "unknown_key");
      expect(jwksFetches).toHaveLength(2);

      vi.setSystemTime(Date.now() + 31_000);
      await expectReason(verifier.verify(unknownKid), "unknown_key");
      expect(jwksFetches).toHaveLength(3);
    } finally {
      await first?.stop();
      await second?.stop();
    }
  });
});

describe("discovery", () => {
  it("fetches and validates the discovery document", async () => {
    const doc = await fetchDiscovery(idp.issuer);
    expect(doc).toMatchObject({ issuer: idp.issuer, jwks_uri: `${idp.issuer}/.well-known/jwks.json` });
  });

  it("caches the discovery document", async () => {
    let calls = 0;
    const verifier = verifierFor({
      discoveryFetch: (input, init) => {
        if (String(input).endsWith("/openid-configuration")) calls++;
        return fetch(input, init);
      },
    });
    await verifier.verify(await devToken({}));
    await verifier.verify(await devToken({}));
    await verifier.discovery();
    expect(calls).toBe(1);
  });

  it("refuses an issuer that does not match the discovery document exactly", async () => {
    const aliased = idp.issuer.replace("localhost", "127.0.0.1");
    const error = await createTokenVerifier({ issuer: aliased, audience: CLIENT.client_id })
      .verify(await devToken({}))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityProviderUnavailableError);
    expect((error as Error).message).toContain("set NEXIUS_ISSUER to the exact issuer");
  });

  it("reports an unreachable IdP as unavailable, not as a bad token, and retries later", async () => {
    let up = false;
    const verifier = verifierFor({
      discoveryFetch: (input, init) => (up ? fetch(input, init) : Promise.reject(new TypeError("fetch failed"))),
    });
    const token = await devToken({});
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
    up = true;
    expect(await verifier.verify(token)).toMatchObject({ sub: "user-1" });
  });

  it("builds the RP-initiated logout URL", () => {
    expect(
      endSessionUrl(
        { end_session_endpoint: "https://sso.test/realms/x/logout" },
        { idTokenHint: "abc", postLogoutRedirectUri: "https://app.test/", state: "s", clientId: "nexius" },
      ),
    ).toBe("https://sso.test/realms/x/logout?id_token_hint=abc&post_logout_redirect_uri=https%3A%2F%2Fapp.test%2F&state=s&client_id=nexius");
    expect(endSessionUrl({}, { idTokenHint: "abc" })).toBeUndefined();
  });
});

describe("configuration", () => {
  it("refuses symmetric algorithms, excessive clock tolerance and an empty audience", () => {
    expect(() => createTokenVerifier({ issuer: "http://x", audience: "a", algorithms: ["HS256" as never] })).toThrow(/asymmetric/);
    expect(() => createTokenVerifier({ issuer: "http://x", audience: "a", algorithms: ["none" as never] })).toThrow(/asymmetric/);
    expect(() => createTokenVerifier({ issuer: "http://x", audience: "a", clockToleranceSec: 61 })).toThrow(/clockTolerance/);
    expect(() => createTokenVerifier({ issuer: "http://x", audience: [] })).toThrow(/audience/);
  });
});
