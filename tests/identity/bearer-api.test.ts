import { createPublicKey } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevIdp } from "~/dev/idp.server";
import { type Tenant } from "~/generated/prisma/client";
import { mintToken, PLATFORM_CLIENT, type DevTokenRequest, type StandIns } from "../support/platform";
import { callApi as call, startApiTenants } from "../support/tenant-api";

/**
 * /api/* with `Authorization: Bearer <JWT>`: tokens minted by the dev IdP's
 * /dev/token work and forged ones get 401 with the reason. What each tenant
 * API answers to which role is in tenant-api.test.ts.
 */
let standIns: StandIns;
let acme: Tenant;

beforeAll(async () => {
  ({ standIns, acme } = await startApiTenants());
});

afterAll(async () => {
  await standIns?.stop();
});

const token = (request: DevTokenRequest) => mintToken(standIns.idp, request);

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

async function validPayload(): Promise<JWTPayload> {
  return decodeJwt(await token({ sub: "forger", email: "forger@acme.test", tenant_id: "acme", roles: ["admin"] }));
}

describe("tokens from the IdP", () => {
  it("are accepted on /api/whoami with the identity they carry", async () => {
    const ops = await token({ sub: "acme-ops-sub", email: "ops@acme.test", tenant_id: "acme", roles: ["ops"] });
    const { status, body } = await call("whoami", { token: ops });
    expect(status).toBe(200);
    expect(body).toEqual({
      sub: "acme-ops-sub",
      email: "ops@acme.test",
      tenant_id: acme.id,
      tenant: { id: acme.id, slug: "acme", name: acme.name, status: "active" },
      roles: ["ops"],
    });
  });

  it("name the tenant by id as well as by slug", async () => {
    const byId = await token({ sub: "acme-ops-sub", email: "ops@acme.test", tenant_id: acme.id, roles: ["ops"] });
    expect((await call("whoami", { token: byId })).body).toMatchObject({ tenant_id: acme.id });
  });
});

describe("forged and unusable tokens get 401 with the reason", () => {
  const forgeries: Array<[string, () => Promise<string | undefined>, string]> = [
    ["alg none", async () => `${encodeSegment({ alg: "none", typ: "JWT" })}.${encodeSegment(await validPayload())}.`, "alg_not_allowed"],
    [
      "HS256 signed with the IdP's public key",
      async () => {
        const jwks = (await (await fetch(`${standIns.idp.issuer}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, string>> };
        const pem = createPublicKey({ key: jwks.keys[0]!, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
        return new SignJWT(await validPayload()).setProtectedHeader({ alg: "HS256", kid: standIns.idp.kid, typ: "JWT" }).sign(new TextEncoder().encode(pem));
      },
      "alg_not_allowed",
    ],
    [
      "a foreign RSA key presenting the IdP's kid",
      async () => {
        const { privateKey } = await generateKeyPair("RS256");
        return new SignJWT(await validPayload()).setProtectedHeader({ alg: "RS256", kid: standIns.idp.kid, typ: "JWT" }).sign(privateKey);
      },
      "bad_signature",
    ],
    [
      "a foreign RSA key with its own kid",
      async () => {
        const { privateKey, publicKey } = await generateKeyPair("RS256");
        const kid = `foreign-${(await exportJWK(publicKey)).n!.slice(0, 8)}`;
        return new SignJWT(await validPayload()).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(privateKey);
      },
      "unknown_key",
    ],
    [
      "the IdP's key but another issuer",
      async () => {
        // Same signing key file, different issuer: a valid signature with the wrong `iss`.
        const impostor = await startDevIdp({
          port: 0,
          keyFile: standIns.keyFile,
          clients: [{ client_id: PLATFORM_CLIENT.client_id, client_secret: "x", redirect_uris: ["http://localhost/cb"] }],
        });
        try {
          expect(impostor.kid).toBe(standIns.idp.kid);
          return await mintToken(impostor, { sub: "forger", email: "forger@acme.test", tenant_id: "acme", roles: ["admin"] });
        } finally {
          await impostor.stop();
        }
      },
      "wrong_issuer",
    ],
    ["a token for another audience", () => token({ sub: "x", email: "x@acme.test", tenant_id: "acme", aud: "someone-else" }), "wrong_audience"],
    ["an expired token", () => token({ sub: "x", email: "x@acme.test", tenant_id: "acme", expires_in: -3600 }), "expired"],
    [
      "a token not valid before an hour from now",
      () => token({ sub: "x", email: "x@acme.test", tenant_id: "acme", nbf: Math.floor(Date.now() / 1000) + 3600 }),
      "not_yet_valid",
    ],
    [
      "a token whose tenant_id was edited",
      async () => {
        const real = await token({ sub: "acme-ops-sub", email: "ops@acme.test", tenant_id: "acme", roles: ["ops"] });
        const [header, , signature] = real.split(".");
        return `${header}.${encodeSegment({ ...decodeJwt(real), tenant_id: "globex" })}.${signature}`;
      },
      "bad_signature",
    ],
    ["garbage", async () => "garbage", "malformed"],
    ["three segments of garbage", async () => "abc.def.ghi", "malformed"],
    ["no token at all", async () => undefined, "missing"],
  ];

  it.each(forgeries)("%s", async (_label, forge, reason) => {
    const forged = await forge();
    for (const route of ["whoami", "status"] as const) {
      const { status, body, headers } = await call(route, forged === undefined ? {} : { token: forged });
      expect(status).toBe(401);
      expect(body).toMatchObject({ error: "unauthenticated", reason });
      expect(typeof body!.message).toBe("string");
      expect(headers.get("cache-control")).toBe("no-store");
    }
  });

  it("rejects an Authorization header that is not a bearer token", async () => {
    const { status, body } = await call("whoami", { authorization: "Basic YWRtaW46YWRtaW4=" });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: "unauthenticated", reason: "malformed" });
  });

  it("challenges with WWW-Authenticate: Bearer, naming the error when a token was presented (RFC 6750)", async () => {
    expect((await call("whoami")).headers.get("www-authenticate")).toBe('Bearer realm="api"');
    expect((await call("whoami", { authorization: "Basic YWRtaW46YWRtaW4=" })).headers.get("www-authenticate")).toBe(
      'Bearer realm="api", error="invalid_request"',
    );
    const expired = await token({ sub: "acme-ops-sub", email: "ops@acme.test", tenant_id: "acme", roles: ["ops"], expires_in: -600 });
    const answer = await call("whoami", { token: expired });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="api", error="invalid_token"');
  });

  it("the forgery tests start from tokens that are otherwise valid", async () => {
    const payload = await validPayload();
    expect(payload).toMatchObject({ iss: standIns.idp.issuer, aud: PLATFORM_CLIENT.client_id, tenant_id: "acme" });
    expect(decodeProtectedHeader(await token({ sub: "x", email: "x@acme.test" }))).toMatchObject({ alg: "RS256", kid: standIns.idp.kid });
  });
});

describe("GET /api/info", () => {
  it("answers without authentication with the version and capabilities", async () => {
    const { status, body } = await call("info");
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      version: "0.1.0",
      capabilities: { sso: true, odoo: { configured: true, mode: "company_per_tenant" }, dev_bypass: false },
    });
  });
});
