import { idTokenContext, refreshContext } from "~/auth/session.server";
import { identityProviderSecretContext } from "~/auth/tenant-sso/providers.server";
import { platformDb } from "~/db.server";
import { odooSecretContext } from "~/odoo/connection.server";
import { webhookSecretContext } from "~/webhooks/signature.server";
import { open, seal, type KeyRing } from "./secret-box.server";

/**
 * Re-seals every secret at rest that an older key sealed with the ring's
 * current key, so that the old key can then be removed from SECRET_KEYS:
 * tenants' Odoo credentials, sessions' refresh and ID tokens, and webhook
 * endpoints' signing secrets, and tenants' identity-provider client secrets. Each row is
 * rewritten only if its key id is still the one read (a concurrent token
 * refresh wins), and a second run finds nothing to do.
 */
export type ResealCounts = {
  odooService: number;
  odooAdmin: number;
  sessionRefreshTokens: number;
  sessionIdTokens: number;
  webhookSecrets: number;
  identityProviderSecrets: number;
};

const BATCH = 500;

type SealedColumn = { cipher: Uint8Array | null; keyId: string | null };

function reseal(ring: KeyRing, column: SealedColumn, context: string): { cipher: Uint8Array<ArrayBuffer>; keyId: string } | null {
  if (!column.cipher || !column.keyId || column.keyId === ring.current) return null;
  const sealed = seal(ring, open(ring, { cipher: Buffer.from(column.cipher), keyId: column.keyId }, context), context);
  return { cipher: new Uint8Array(sealed.cipher), keyId: sealed.keyId };
}

export async function resealSecrets(ring: KeyRing): Promise<ResealCounts> {
  const counts: ResealCounts = { odooService: 0, odooAdmin: 0, sessionRefreshTokens: 0, sessionIdTokens: 0, webhookSecrets: 0, identityProviderSecrets: 0 };

  const connections = await platformDb.odooConnection.findMany({
    where: { OR: [{ secretKeyId: { not: ring.current } }, { adminSecretKeyId: { not: ring.current } }] },
    select: { tenantId: true, secretCipher: true, secretKeyId: true, adminSecretCipher: true, adminSecretKeyId: true },
  });
  for (const row of connections) {
    const service = reseal(ring, { cipher: row.secretCipher, keyId: row.secretKeyId }, odooSecretContext(row.tenantId, "service"));
    if (service) {
      const { count } = await platformDb.odooConnection.updateMany({
        where: { tenantId: row.tenantId, secretKeyId: row.secretKeyId },
        data: { secretCipher: service.cipher, secretKeyId: service.keyId },
      });
      counts.odooService += count;
    }
    const admin = reseal(ring, { cipher: row.adminSecretCipher, keyId: row.adminSecretKeyId }, odooSecretContext(row.tenantId, "admin"));
    if (admin) {
      const { count } = await platformDb.odooConnection.updateMany({
        where: { tenantId: row.tenantId, adminSecretKeyId: row.adminSecretKeyId },
        data: { adminSecretCipher: admin.cipher, adminSecretKeyId: admin.keyId },
      });
      counts.odooAdmin += count;
    }
  }

  // Sessions can be many: in batches, by primary key.
  let after = "";
  for (;;) {
    const sessions = await platformDb.session.findMany({
      where: { idHash: { gt: after }, OR: [{ refreshKeyId: { not: ring.current } }, { idTokenKeyId: { not: ring.current } }] },
      select: { idHash: true, refreshCipher: true, refreshKeyId: true, idTokenCipher: true, idTokenKeyId: true },
      orderBy: { idHash: "asc" },
      take: BATCH,
    });
    for (const row of sessions) {
      const refresh = reseal(ring, { cipher: row.refreshCipher, keyId: row.refreshKeyId }, refreshContext(row.idHash));
      if (refresh) {
        const { count } = await platformDb.session.updateMany({
          where: { idHash: row.idHash, refreshKeyId: row.refreshKeyId },
          data: { refreshCipher: refresh.cipher, refreshKeyId: refresh.keyId },
        });
        counts.sessionRefreshTokens += count;
      }
      const idToken = reseal(ring, { cipher: row.idTokenCipher, keyId: row.idTokenKeyId }, idTokenContext(row.idHash));
      if (idToken) {
        const { count } = await platformDb.session.updateMany({
          where: { idHash: row.idHash, idTokenKeyId: row.idTokenKeyId },
          data: { idTokenCipher: idToken.cipher, idTokenKeyId: idToken.keyId },
        });
        counts.sessionIdTokens += count;
      }
    }
    if (sessions.length < BATCH) break;
    after = sessions[sessions.length - 1]!.idHash;
  }

  const endpoints = await platformDb.webhookEndpoint.findMany({
    where: { secretKeyId: { not: ring.current } },
    select: { id: true, secretCipher: true, secretKeyId: true },
  });
  for (const row of endpoints) {
    const secret = reseal(ring, { cipher: row.secretCipher, keyId: row.secretKeyId }, webhookSecretContext(row.id));
    if (!secret) continue;
    const { count } = await platformDb.webhookEndpoint.updateMany({
      where: { id: row.id, secretKeyId: row.secretKeyId },
      data: { secretCipher: secret.cipher, secretKeyId: secret.keyId },
    });
    counts.webhookSecrets += count;
  }

  const providers = await platformDb.tenantIdentityProvider.findMany({
    where: { clientSecretKeyId: { not: ring.current } },
    select: { id: true, clientSecretCipher: true, clientSecretKeyId: true },
  });
  for (const row of providers) {
    const secret = reseal(ring, { cipher: row.clientSecretCipher, keyId: row.clientSecretKeyId }, identityProviderSecretContext(row.id));
    if (!secret) continue;
    const { count } = await platformDb.tenantIdentityProvider.updateMany({
      where: { id: row.id, clientSecretKeyId: row.clientSecretKeyId },
      data: { clientSecretCipher: secret.cipher, clientSecretKeyId: secret.keyId },
    });
    counts.identityProviderSecrets += count;
  }
  return counts;
}
