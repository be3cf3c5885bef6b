import { randomBytes } from "node:crypto";
import Provider, { type Configuration, type FindAccount, type KoaContextWithOIDC } from "oidc-provider";
import { log } from "../logger.server";
import { claimsFor, type createAccountDirectory, type DevUserInput } from "./idp-accounts.server";
import { type SigningKey } from "./idp-keys.server";
import { logoutConfirmPage, messagePage } from "./idp-pages.server";
import { createMemoryAdapter } from "./idp-store.server";

/**
 * The OpenID provider of the dev IdP: oidc-provider configured as a
 * first-party IdP (consent implied, PKCE required, tenant claims on `openid`)
 * and the grants that remember the tenant chosen at each sign-in.
 */

export type DevIdpClient = {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post";
};

export type DevIdpOptions = {
  /** Listening port; 0 picks a free one. Default 4800. */
  port?: number;
  /** Listening interface. Default "localhost" (the IdP mints tokens for anyone who asks, so it stays local). */
  host?: string;
  /** Default `http://localhost:<port>`; a path (e.g. /realms/dev) mounts the provider under it. */
  issuer?: string;
  clients: DevIdpClient[];
  /** Private signing JWK file, created on first start; omitted = a fresh key in memory. */
  keyFile?: string;
  /** Users in addition to DEMO_USERS. */
  users?: DevUserInput[];
  /** Show "Create account" on the sign-in page (self-serve sign-up). Default true. */
  allowSignUp?: boolean;
  /** Where sign-ups are kept across restarts; omitted = in memory. */
  accountsFile?: string;
  /** Token and session lifetimes in seconds. */
  ttl?: { idToken?: number; accessToken?: number; refreshToken?: number; session?: number };
  /**
   * A new refresh token at every refresh, as IdPs with rotation on do
   * (Keycloak "Revoke Refresh Token", Auth0, Okta): reusing a rotated one is
   * refused and revokes the grant. Default off.
   */
  rotateRefreshTokens?: boolean;
};

export type Directory = ReturnType<typeof createAccountDirectory>;

export type Setup = {
  issuer: string;
  mount: string;
  options: DevIdpOptions;
  signingKey: SigningKey;
  directory: Directory;
  choices: TenantChoices;
};

/**
 * The tenant a sign-in was made into, by grant. Every code, access and refresh
 * token names its grant, so the claims of tokens issued later (refresh,
 * userinfo) keep the tenant chosen at sign-in; a new sign-in makes a new grant.
 */
export type TenantChoices = {
  byGrant: Map<string, string | undefined>;
  bySession: Map<string, string | undefined>;
};

const DEFAULT_TTL = { idToken: 3600, accessToken: 3600, refreshToken: 14 * 24 * 3600, session: 14 * 24 * 3600 };

export function createProvider({ issuer, mount, options, signingKey, directory, choices }: Setup): Provider {
  const ttl = { ...DEFAULT_TTL, ...options.ttl };

  const findAccount: FindAccount = async (ctx, sub, token) => {
    const account = directory.findBySub(sub);
    if (!account) return undefined;
    const grantId = token?.grantId ?? ctx.oidc?.entities.Grant?.jti;
    const tenantId = grantId ? choices.byGrant.get(grantId) : undefined;
    return { accountId: sub, claims: () => claimsFor(account, tenantId) };
  };

  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    clients: options.clients.map((client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: client.redirect_uris,
      post_logout_redirect_uris: client.post_logout_redirect_uris ?? [],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: client.token_endpoint_auth_method ?? "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    })),
    jwks: { keys: [signingKey] },
    findAccount,
    // tenant_id/roles/odoo_db ride on `openid` so a plain "openid email profile" request gets them.
    claims: {
      openid: ["sub", "tenant_id", "roles", "odoo_db"],
      email: ["email", "email_verified"],
      profile: ["name"],
      acr: null,
      auth_time: null,
      sid: null,
      iss: null,
    },
    scopes: ["openid", "offline_access", "email", "profile"],
    responseTypes: ["code"],
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    // Scope claims in the ID token too (the spec puts them only in userinfo for response_type=code).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // First-party clients only: refresh tokens without prompt=consent; bound to the session, so logout ends them.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    ...(options.rotateRefreshTokens ? { rotateRefreshToken: true } : {}),
    loadExistingGrant: (ctx) => autoGrant(ctx, choices),
    interactions: { url: (_ctx, interaction) => `${mount}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = "html";
          ctx.body = logoutConfirmPage({ form, host: ctx.host });
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = "html";
          ctx.body = messagePage("Signed out", "You have been signed out of Nexius SSO. You can close this tab.");
        },
      },
    },
    cookies: {
      // Browsers scope cookies by host, not port: on localhost the platform sees these too, so no generic names.
      names: { session: "nexius_sso_session", interaction: "nexius_sso_interaction", resume: "nexius_sso_resume" },
      keys: [randomBytes(32).toString("base64url")],
      long: { httpOnly: true, sameSite: "lax" },
      short: { httpOnly: true, sameSite: "lax" },
    },
    ttl: {
      AccessToken: ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: ttl.idToken,
      RefreshToken: ttl.refreshToken,
      Session: ttl.session,
      Grant: ttl.refreshToken,
      Interaction: 3600,
    },
    routes: { jwks: "/.well-known/jwks.json" },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = messagePage(
        "Sign-in problem",
        `${out.error}${out.error_description ? `: ${out.error_description}` : ""}. Go back to the application and try again.`,
        "alert",
      );
    },
  };

  const provider = new Provider(issuer, configuration);
  // Behind a TLS-terminating proxy (an https issuer), trust X-Forwarded-Proto so cookies and URLs are https.
  provider.proxy = issuer.startsWith("https:");
  provider.on("server_error", (_ctx, error) => log().error({ err: error, issuer }, "dev IdP server error"));
  return provider;
}

/**
 * Consent is implied for our first-party clients: every sign-in gets a fresh
 * grant carrying the tenant chosen in that sign-in; a later authorization
 * request in the same browser session (e.g. from Odoo) reuses the session's
 * tenant.
 */
async function autoGrant(ctx: KoaContextWithOIDC, choices: TenantChoices) {
  const { session, client, params, result } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const provider = ctx.oidc.provider;
  let grant;
  let tenantId: string | undefined;
  if (result?.login) {
    const chosen = (result as { tenant?: { tenant_id?: unknown } }).tenant?.tenant_id;
    tenantId = typeof chosen === "string" ? chosen : undefined;
    choices.bySession.set(session.uid, tenantId);
  } else {
    const grantId = session.grantIdFor(client.clientId);
    grant = grantId ? await provider.Grant.find(grantId) : undefined;
    tenantId = choices.bySession.get(session.uid);
  }
  const isNew = !grant;
  grant ??= new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  if (typeof params?.scope === "string") grant.addOIDCScope(params.scope);
  const grantId = await grant.save();
  if (isNew) choices.byGrant.set(grantId, tenantId);
  return grant;
}
