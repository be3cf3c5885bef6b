import { secretRing } from "~/crypto/keys.server";
import { open, seal } from "~/crypto/secret-box.server";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { type OdooConnection } from "~/generated/prisma/client";
import { singleton } from "~/singleton.server";
import { OdooClient } from "./client.server";
import { type OdooMode } from "./config.server";

/**
 * The platform's side of each tenant's Odoo: where it is, and the service
 * credential (sealed with AES-256-GCM; the AAD ties it to its tenant, so it
 * never decrypts on another row). Credentials never leave the server.
 */
export type OdooSettings = {
  url: string;
  mode: OdooMode;
  database: string;
  adminLogin: string;
  adminPassword: string;
  masterPassword: string;
  oidcClientId: string;
};

export class OdooNotConfiguredError extends Error {
  constructor(missing: string[]) {
    super(`Odoo is not configured: set ${missing.join(", ")} (npm run dev starts an Odoo simulator when ODOO_URL is unset)`);
    this.name = "OdooNotConfiguredError";
  }
}

export function odooSettings(): OdooSettings {
  const config = env();
  const missing: string[] = [];
  if (!config.ODOO_URL) missing.push("ODOO_URL");
  if (config.ODOO_MODE === "company_per_tenant") {
    if (!config.ODOO_DB) missing.push("ODOO_DB");
    if (!config.ODOO_ADMIN_PASSWORD) missing.push("ODOO_ADMIN_PASSWORD");
  } else if (!config.ODOO_MASTER_PASSWORD) {
    missing.push("ODOO_MASTER_PASSWORD");
  }
  if (missing.length) throw new OdooNotConfiguredError(missing);
  return {
    url: config.ODOO_URL!,
    mode: config.ODOO_MODE,
    database: config.ODOO_DB ?? "",
    adminLogin: config.ODOO_ADMIN_LOGIN,
    adminPassword: config.ODOO_ADMIN_PASSWORD ?? "",
    masterPassword: config.ODOO_MASTER_PASSWORD ?? "",
    oidcClientId: config.ODOO_OIDC_CLIENT_ID,
  };
}

export function odooClient(): OdooClient {
  const settings = odooSettings();
  return singleton(`odoo-client:${settings.url}`, () => new OdooClient({ baseUrl: settings.url, timeoutMs: env().ODOO_TIMEOUT_MS }));
}

/** AAD context of a tenant's sealed Odoo credential (also used by the re-seal command). */
export function odooSecretContext(tenantId: string, which: "service" | "admin"): string {
  return `odoo-${which}:${tenantId}`;
}

export async function storeOdooSecrets(
  tenantId: string,
  input: { baseUrl: string; database: string; mode: OdooMode; login: string; password: string; admin?: { login: string; password: string } },
): Promise<void> {
  const ring = secretRing();
  const service = seal(ring, input.password, odooSecretContext(tenantId, "service"));
  const admin = input.admin ? seal(ring, input.admin.password, odooSecretContext(tenantId, "admin")) : null;
  const data = {
    baseUrl: input.baseUrl,
    database: input.database,
    mode: input.mode,
    login: input.login,
    secretCipher: new Uint8Array(service.cipher),
    secretKeyId: service.keyId,
    adminLogin: input.admin?.login ?? null,
    adminSecretCipher: admin ? new Uint8Array(admin.cipher) : null,
    adminSecretKeyId: admin?.keyId ?? null,
  };
  await platformDb.odooConnection.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
}

/** Replaces the service credential only (rotation). */
export async function replaceServiceSecret(tenantId: string, password: string): Promise<void> {
  const sealed = seal(secretRing(), password, odooSecretContext(tenantId, "service"));
  await platformDb.odooConnection.update({
    where: { tenantId },
    data: { secretCipher: new Uint8Array(sealed.cipher), secretKeyId: sealed.keyId, lastVerifiedAt: new Date(), updatedAt: new Date() },
  });
}

export function openOdooSecret(connection: OdooConnection, which: "service" | "admin" = "service"): string {
  const cipher = which === "service" ? connection.secretCipher : connection.adminSecretCipher;
  const keyId = which === "service" ? connection.secretKeyId : connection.adminSecretKeyId;
  if (!cipher || !keyId) throw new Error(`No ${which} credential stored for this tenant's Odoo`);
  return open(secretRing(), { cipher: Buffer.from(cipher), keyId }, odooSecretContext(connection.tenantId, which));
}
