import { spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, open, parseKeyRing, seal } from "~/crypto/secret-box.server";

/**
 * Key rotation: with a new key put first in SECRET_KEYS, `npm run
 * secrets:reseal` re-seals every secret at rest with it, after which a ring
 * without the old key opens them all.
 */
const oldSpec = generateKeySpec("old");
const newSpec = generateKeySpec("new");
const oldRing = parseKeyRing(oldSpec);
const newOnly = parseKeyRing(newSpec);

let app: Awaited<ReturnType<typeof loadApp>>;

async function loadApp() {
  const [db, session, odoo, webhooks, providers] = await Promise.all([
    import("~/db.server"),
    import("~/auth/session.server"),
    import("~/odoo/connection.server"),
    import("~/webhooks/signature.server"),
    import("~/auth/tenant-sso/providers.server"),
  ]);
  return {
    platformDb: db.platformDb,
    refreshContext: session.refreshContext,
    idTokenContext: session.idTokenContext,
    odooSecretContext: odoo.odooSecretContext,
    webhookSecretContext: webhooks.webhookSecretContext,
    identityProviderSecretContext: providers.identityProviderSecretContext,
  };
}

beforeAll(async () => {
  app = await loadApp();
});

function reseal(secretKeys: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "app/cli/reseal-secrets.ts"], {
      env: { ...process.env, SECRET_KEYS: secretKeys },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const bytes = (sealed: { cipher: Buffer }) => new Uint8Array(sealed.cipher);

describe("npm run secrets:reseal", () => {
  it("re-seals Odoo credentials, refresh tokens, ID tokens, webhook secrets and identity-provider secrets with the current key, once", async () => {
    const tenant = await app.platformDb.tenant.create({ data: { slug: "reseal", name: "Reseal", status: "active" } });
    const user = await app.platformDb.user.create({ data: { sub: "reseal-user", email: "reseal@example.com" } });
    const service = seal(oldRing, "odoo-service-password", app.odooSecretContext(tenant.id, "service"));
    const admin = seal(oldRing, "odoo-admin-password", app.odooSecretContext(tenant.id, "admin"));
    await app.platformDb.odooConnection.create({
      data: {
        tenantId: tenant.id,
        baseUrl: "http://odoo.test",
        database: "reseal",
        mode: "db_per_tenant",
        login: "svc",
        secretCipher: bytes(service),
        secretKeyId: service.keyId,
        adminLogin: "admin",
        adminSecretCipher: bytes(admin),
        adminSecretKeyId: admin.keyId,
      },
    });
    const idHashes = Array.from({ length: 3 }, () => createHash("sha256").update(randomBytes(32)).digest("hex"));
    for (const [i, idHash] of idHashes.entries()) {
      const refresh = seal(oldRing, `refresh-${i}`, app.refreshContext(idHash));
      const idToken = seal(oldRing, `eyJ.id-token-${i}.sig`, app.idTokenContext(idHash));
      await app.platformDb.session.create({
        data: {
          idHash,
          tenantId: tenant.id,
          userId: user.id,
          sub: user.sub,
          email: user.email,
          refreshCipher: bytes(refresh),
          refreshKeyId: refresh.keyId,
          idTokenCipher: bytes(idToken),
          idTokenKeyId: idToken.keyId,
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      });
    }

    const endpointId = randomUUID();
    const webhook = seal(oldRing, "whsec_platform-endpoint", app.webhookSecretContext(endpointId));
    await app.platformDb.webhookEndpoint.create({
      data: { id: endpointId, tenantId: null, url: "https://hooks.example.com/nexius", secretCipher: bytes(webhook), secretKeyId: webhook.keyId },
    });

    const providerId = randomUUID();
    const clientSecret = seal(oldRing, "entra-client-secret", app.identityProviderSecretContext(providerId));
    await app.platformDb.tenantIdentityProvider.create({
      data: {
        id: providerId,
        tenantId: tenant.id,
        kind: "oidc",
        issuer: "https://idp.example.com",
        clientId: "nexius",
        clientSecretCipher: bytes(clientSecret),
        clientSecretKeyId: clientSecret.keyId,
      },
    });

    const first = await reseal(`${newSpec},${oldSpec}`);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout.trim().split("\n").at(-1)!)).toEqual({
      key: "new",
      odooService: 1,
      odooAdmin: 1,
      sessionRefreshTokens: 3,
      sessionIdTokens: 3,
      webhookSecrets: 1,
      identityProviderSecrets: 1,
    });

    // The old key can go: a ring with only the new one opens everything.
    const connection = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect([connection.secretKeyId, connection.adminSecretKeyId]).toEqual(["new", "new"]);
    expect(open(newOnly, { cipher: Buffer.from(connection.secretCipher), keyId: "new" }, app.odooSecretContext(tenant.id, "service"))).toBe(
      "odoo-service-password",
    );
    expect(open(newOnly, { cipher: Buffer.from(connection.adminSecretCipher!), keyId: "new" }, app.odooSecretContext(tenant.id, "admin"))).toBe(
      "odoo-admin-password",
    );
    for (const [i, idHash] of idHashes.entries()) {
      const row = await app.platformDb.session.findUniqueOrThrow({ where: { idHash } });
      expect([row.refreshKeyId, row.idTokenKeyId]).toEqual(["new", "new"]);
      expect(open(newOnly, { cipher: Buffer.from(row.refreshCipher!), keyId: "new" }, app.refreshContext(idHash))).toBe(`refresh-${i}`);
      expect(open(newOnly, { cipher: Buffer.from(row.idTokenCipher!), keyId: "new" }, app.idTokenContext(idHash))).toBe(`eyJ.id-token-${i}.sig`);
    }

    const endpoint = await app.platformDb.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(open(newOnly, { cipher: Buffer.from(endpoint.secretCipher), keyId: endpoint.secretKeyId }, app.webhookSecretContext(endpointId))).toBe(
      "whsec_platform-endpoint",
    );

    const provider = await app.platformDb.tenantIdentityProvider.findUniqueOrThrow({ where: { id: providerId } });
    expect(
      open(newOnly, { cipher: Buffer.from(provider.clientSecretCipher), keyId: provider.clientSecretKeyId }, app.identityProviderSecretContext(providerId)),
    ).toBe("entra-client-secret");

    const second = await reseal(newSpec);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout.trim().split("\n").at(-1)!)).toEqual({
      key: "new",
      odooService: 0,
      odooAdmin: 0,
      sessionRefreshTokens: 0,
      sessionIdTokens: 0,
      webhookSecrets: 0,
      identityProviderSecrets: 0,
    });
  });

  it("fails, naming the missing key, when a secret was sealed with a key no longer in the ring", async () => {
    const result = await reseal(generateKeySpec("other"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No key new in SECRET_KEYS/);
  });
});
