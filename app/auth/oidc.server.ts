import { createHmac, randomBytes } from "node:crypto";
import { Authenticator } from "remix-auth";
import { OAuth2Strategy } from "remix-auth-oauth2";
import { env } from "~/env.server";
import { singleton } from "~/singleton.server";
import { tokenVerifierConfig } from "./config.server";
import { createTokenVerifier, type TokenVerifier, type VerifiedClaims } from "./tokens.server";

/**
 * Nexius SSO sign-in: the OIDC authorization-code flow with PKCE (S256) and
 * state through remix-auth-oauth2, plus what it leaves to us: a nonce bound to
 * the state, and full ID-token validation with jose.
 */
export type SignIn = {
  claims: VerifiedClaims;
  idToken: string;
  refreshToken: string | null;
  tokensExpireAt: Date;
};

export class SsoNotConfiguredError extends Error {
  constructor() {
    super("Sign-in is not configured: set NEXIUS_ISSUER, NEXIUS_CLIENT_ID and NEXIUS_CLIENT_SECRET (npm run dev starts a development IdP).");
    this.name = "SsoNotConfiguredError";
  }
}

export const SCOPES = ["openid", "email", "profile", "offline_access"];

/**
 * The nonce for an authorization request, derived from its state so nothing
 * more needs storing. Keyed with OIDC_NONCE_KEY, never a data-encryption key.
 * Outside production an unset key is random per process (a sign-in spans one
 * web process there).
 */
export function nonceFor(state: string): string {
  const key = singleton("oidc-nonce-key", () => {
    const configured = env().OIDC_NONCE_KEY;
    return configured ? Buffer.from(configured, "base64") : randomBytes(32);
  });
  return createHmac("sha256", key).update(`oidc-nonce:${state}`).digest("base64url");
}

export function tokenVerifier(): TokenVerifier {
  const config = env();
  if (!config.NEXIUS_ISSUER) throw new SsoNotConfiguredError();
  return singleton(`token-verifier:${config.NEXIUS_ISSUER}`, () => createTokenVerifier({ ...tokenVerifierConfig(config), clockToleranceSec: 60 }));
}

/** The platform's OAuth client id at the IdP (the dev runner sets the dev IdP's). */
export function clientId(): string {
  const id = env().NEXIUS_CLIENT_ID;
  if (!id) throw new SsoNotConfiguredError();
  return id;
}

class NexiusStrategy extends OAuth2Strategy<SignIn> {
  override name = "nexius";

  protected override authorizationParams(params: URLSearchParams): URLSearchParams {
    const next = new URLSearchParams(params);
    const state = params.get("state");
    if (state) next.set("nonce", nonceFor(state));
    return next;
  }

  /**
   * No `scope` on refresh: the grant's own scope applies (RFC 6749 §6). IdPs
   * grant offline_access only with consent, and refuse a refresh that asks
   * for more than was granted (invalid_scope), which would end every session.
   */
  override refreshToken(refreshToken: string) {
    return this.client.refreshAccessToken(this.options.tokenEndpoint.toString(), refreshToken, []);
  }
}

async function createAuthenticator() {
  const config = env();
  if (!config.NEXIUS_ISSUER || !config.NEXIUS_CLIENT_SECRET) throw new SsoNotConfiguredError();
  const discovery = await tokenVerifier().discovery();
  const production = config.NODE_ENV === "production";
  const strategy = new NexiusStrategy(
    {
      clientId: clientId(),
      clientSecret: config.NEXIUS_CLIENT_SECRET,
      authorizationEndpoint: discovery.authorization_endpoint,
      tokenEndpoint: discovery.token_endpoint ?? `${config.NEXIUS_ISSUER}/token`,
      redirectURI: `${config.APP_URL}/auth/callback`,
      scopes: SCOPES,
      cookie: {
        name: production ? "__Host-nexius_oidc" : "nexius_oidc",
        httpOnly: true,
        sameSite: "Lax",
        ...(production ? { secure: true as const } : {}),
        path: "/",
        maxAge: 600,
      },
    },
    async ({ tokens, request }) => {
      const idToken = tokens.idToken();
      const state = new URL(request.url).searchParams.get("state") ?? "";
      const claims = await tokenVerifier().verify(idToken, { nonce: nonceFor(state), clientId: clientId() });
      return {
        claims,
        idToken,
        refreshToken: tokens.hasRefreshToken() ? tokens.refreshToken() : null,
        tokensExpireAt: new Date(claims.exp * 1000),
      };
    },
  );
  const authenticator = new Authenticator<SignIn>();
  authenticator.use(strategy);
  return { authenticator, strategy, discovery };
}

type Sso = Awaited<ReturnType<typeof createAuthenticator>>;

/** The configured sign-in (built from the IdP's discovery document on first use; retried after a failure). */
export function sso(): Promise<Sso> {
  const holder = singleton("sso", () => ({ pending: undefined as Promise<Sso> | undefined }));
  if (!holder.pending) {
    holder.pending = createAuthenticator();
    holder.pending.catch(() => {
      holder.pending = undefined;
    });
  }
  return holder.pending;
}

/** New tokens from a refresh token; the new ID token is validated like the first one (no nonce on refresh), for the client id. */
export async function refreshSignIn(refreshToken: string): Promise<SignIn> {
  const { strategy } = await sso();
  const tokens = await strategy.refreshToken(refreshToken);
  const idToken = tokens.idToken();
  const claims = await tokenVerifier().verify(idToken, { clientId: clientId() });
  return {
    claims,
    idToken,
    refreshToken: tokens.hasRefreshToken() ? tokens.refreshToken() : refreshToken,
    tokensExpireAt: new Date(claims.exp * 1000),
  };
}
