import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_PASSWORD, startDevIdp, type DevIdp, type DevIdpOptions } from "../../app/dev/idp.server";
import { startOdooSimulator, type OdooSimulator, type OdooSimulatorOptions } from "../sims/odoo";

/**
 * The platform's outside world for in-process tests and benchmarks: the dev
 * IdP and the Odoo simulator on free ports, and process.env pointing at them.
 * `env()` parses process.env once and db.server connects at import, so call
 * `startStandIns` first and import app modules (dynamically) afterwards.
 */
export const APP_URL = "http://localhost:3999";
export const PLATFORM_CLIENT = { client_id: "nexius-platform", client_secret: "platform-test-secret" } as const;
export const ODOO_SETTINGS = {
  database: "platform",
  adminLogin: "admin",
  adminPassword: "odoo-admin-secret",
  masterPassword: "odoo-master-secret",
} as const;
/** What REQUIRED_MODULES in app/odoo/module-install.server.ts asks for; a shared database has them installed. */
const SHARED_DB_MODULES = ["auth_oauth", "sales_team", "contacts"];

export type OdooMode = "company_per_tenant" | "db_per_tenant";

export type StandInOptions = {
  odooMode?: OdooMode;
  odoo?: Omit<OdooSimulatorOptions, "port" | "masterPassword" | "databases">;
  idpTtl?: DevIdpOptions["ttl"];
  idpRotateRefreshTokens?: boolean;
  /** Extra or overriding environment (e.g. ALLOW_DEV_BYPASS, NODE_ENV). */
  env?: Record<string, string | undefined>;
};

export type StandIns = {
  idp: DevIdp;
  odoo: OdooSimulator;
  /** The IdP's signing key file, to start a second IdP (another issuer) with the same key. */
  keyFile: string;
  stop(): Promise<void>;
};

export async function startStandIns(options: StandInOptions = {}): Promise<StandIns> {
  const mode = options.odooMode ?? "company_per_tenant";
  const dir = await mkdtemp(path.join(tmpdir(), "nexius-standins-"));
  const keyFile = path.join(dir, "signing-key.json");
  const idp = await startDevIdp({
    port: 0,
    keyFile,
    ttl: options.idpTtl,
    rotateRefreshTokens: options.idpRotateRefreshTokens,
    clients: [
      {
        client_id: PLATFORM_CLIENT.client_id,
        client_secret: PLATFORM_CLIENT.client_secret,
        redirect_uris: [`${APP_URL}/auth/callback`],
        post_logout_redirect_uris: [`${APP_URL}/`],
      },
    ],
  });
  const odoo = await startOdooSimulator({
    ...options.odoo,
    port: 0,
    masterPassword: ODOO_SETTINGS.masterPassword,
    databases:
      mode === "company_per_tenant"
        ? [{ name: ODOO_SETTINGS.database, adminLogin: ODOO_SETTINGS.adminLogin, adminPassword: ODOO_SETTINGS.adminPassword, modules: SHARED_DB_MODULES }]
        : [],
  });
  const values: Record<string, string | undefined> = {
    NEXIUS_ISSUER: idp.issuer,
    NEXIUS_CLIENT_ID: PLATFORM_CLIENT.client_id,
    NEXIUS_CLIENT_SECRET: PLATFORM_CLIENT.client_secret,
    APP_URL,
    ODOO_URL: odoo.url,
    ODOO_MODE: mode,
    ODOO_DB: ODOO_SETTINGS.database,
    ODOO_ADMIN_LOGIN: ODOO_SETTINGS.adminLogin,
    ODOO_ADMIN_PASSWORD: ODOO_SETTINGS.adminPassword,
    ODOO_MASTER_PASSWORD: ODOO_SETTINGS.masterPassword,
    // Injected timeouts should fail fast.
    ODOO_TIMEOUT_MS: "1000",
    ...options.env,
  };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return {
    idp,
    odoo,
    keyFile,
    async stop() {
      await Promise.allSettled([idp.stop(), odoo.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type DevTokenRequest = {
  sub: string;
  email: string;
  /** The IdP verified the address; default true, as for its demo users. */
  email_verified?: boolean;
  name?: string;
  tenant_id?: string;
  roles?: string[];
  expires_in?: number;
  nbf?: number;
  aud?: string | string[];
  nonce?: string;
};

/** A token signed by the IdP's own key, from its development-only POST /dev/token. */
export async function mintToken(idp: Pick<DevIdp, "url">, request: DevTokenRequest): Promise<string> {
  const response = await fetch(`${idp.url}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { id_token?: string; error_description?: string };
  if (!response.ok || !body.id_token) throw new Error(`/dev/token answered ${response.status}: ${body.error_description}`);
  return body.id_token;
}

export { DEMO_PASSWORD };
