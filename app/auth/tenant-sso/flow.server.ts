import { CodeChallengeMethod, generateCodeVerifier, generateState, OAuth2Client, OAuth2RequestError, OAuth2Tokens } from "arctic";
import { type JWTPayload } from "jose";
import { secretRing } from "~/crypto/keys.server";
import { open, seal } from "~/crypto/secret-box.server";
import { env } from "~/env.server";
import { singleton } from "~/singleton.server";
import { nonceFor } from "../oidc.server";
import { type TenantRole } from "../roles";
import { createTokenVerifier, IdentityProviderUnavailableError, TokenError, type TokenVerifier } from "../tokens.server";
import { federatedSub, TENANT_ID_PLACEHOLDER } from "./issuer";
import { claimValues, emailDomainOf, mapRoles } from "./mapping";
import { addressRefusal, tenantProviderFetch } from "./provider-fetch.server";
import { providerById, providerForDirectory, tenantIdentityProvider, type SignInProvider } from "./providers.server";

/**
 * Signing in through a tenant's own provider: the authorization-code flow
 * with PKCE (S256), a state and a nonce bound to it, kept in one sealed
 * cookie between the redirect and the callback; the ID token is checked
 * like the platform IdP's (signature from the issuer's keys, exact issuer,
 * audience, expiry, nonce). "Sign in with Microsoft" uses the platform's
 * multi-tenant Entra app at the `organizations` endpoint, where the token's
 * directory (`tid`) decides the tenant. A test login runs the same flow and
 * reports instead of signing in.
 */
export const REDIRECT_PATH = "/auth/sso/callback";
export const SCOPES = ["openid", "email", "profile"];
const FLOW_CONTEXT = "tenant-sso-flow";
const FLOW_MAX_AGE_S = 600;

/** The provider of the platform's own multi-tenant Entra app (ENTRA_CLIENT_ID), not a row. */
export const MICROSOFT = "microsoft";

export type Purpose = "sign_in" | "test";

export type Flow = {
  state: string;
  codeVerifier: string;
  providerId: string;
  purpose: Purpose;
  returnTo: string;
  /** A test login's operator: only they can read its report. */
  testerSub?: string;
  startedAt: number;
};

/** A sign-in that cannot go on, in words for the person; `status` for the page. */
export class SsoSignInError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "SsoSignInError";
  }
}

/** What a provider's token says, in platform terms. */
export type FederatedIdentity = {
  provider: SignInProvider;
  claims: JWTPayload;
  sub: string;
  email: string;
  /** Only an address in one of the provider's own email domains counts as verified. */
  emailVerified: boolean;
  name?: string;
  /** The values of the provider's roles claim and the tenant roles they map to. */
  claimValues: string[];
  roles: TenantRole[];
};

function flowCookieName(): string {
  return env().NODE_ENV === "production" ? "__Host-nexius_tenant_sso" : "nexius_tenant_sso";
}

function cookieAttributes(maxAge: number): string {
  const secure = env().NODE_ENV === "production" ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Lax${secure}; Max-Age=${maxAge}`;
}

export function clearFlowCookie(): string {
  return `${flowCookieName()}=; ${cookieAttributes(0)}`;
}

/** The flow this browser is in the middle of (the callback reads it to know a test login from a sign-in), or null. */
export function readFlow(request: Request): Flow | null {
  const raw = request.headers.get("cookie")?.match(new RegExp(`(?:^|;\\s*)${flowCookieName()}=([^;]+)`))?.[1];
  if (!raw) return null;
  // base64url has no ".", so the last one ends the key id, whatever a key id may contain.
  const dot = raw.lastIndexOf(".");
  const keyId = raw.slice(0, dot);
  const cipher = raw.slice(dot + 1);
  if (dot < 1 || !cipher) return null;
  try {
    const flow = JSON.parse(open(secretRing(), { keyId, cipher: Buffer.from(cipher, "base64url") }, FLOW_CONTEXT)) as Flow;
    return Date.now() - flow.startedAt < FLOW_MAX_AGE_S * 1000 ? flow : null;
  } catch {
    return null;
  }
}

function flowCookie(flow: Flow): string {
  const sealed = seal(secretRing(), JSON.stringify(flow), FLOW_CONTEXT);
  return `${flowCookieName()}=${sealed.keyId}.${sealed.cipher.toString("base64url")}; ${cookieAttributes(FLOW_MAX_AGE_S)}`;
}

/** The platform's multi-tenant Entra app, or null when ENTRA_CLIENT_ID / ENTRA_CLIENT_SECRET are not set. */
export function microsoftApp(): { clientId: string; clientSecret: string; issuer: string; discoveryUrl: string } | null {
  const config = env();
  if (!config.ENTRA_CLIENT_ID || !config.ENTRA_CLIENT_SECRET) return null;
  const host = config.MS_LOGIN_BASE_URL.replace(/\/+$/, "");
  return {
    clientId: config.ENTRA_CLIENT_ID,
    clientSecret: config.ENTRA_CLIENT_SECRET,
    issuer: `${host}/${TENANT_ID_PLACEHOLDER}/v2.0`,
    discoveryUrl: `${host}/organizations/v2.0/.well-known/openid-configuration`,
  };
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The platform's own Entra app is the operator's, reached with the global fetch. */
const platformFetch: Fetch = (input, init) => fetch(input, init);

/**
 * One verifier per issuer, client and way of fetching, kept for its cached
 * discovery document and keys: a tenant's provider never shares the
 * platform app's verifier, whose requests are not checked.
 */
function verifierFor(issuer: string, clientId: string, fetch: Fetch, discoveryUrl?: string): TokenVerifier {
  const verifiers = singleton("tenant-sso-verifiers", () => new Map<string, TokenVerifier>());
  const key = `${fetch === platformFetch ? "platform" : "tenant"} ${issuer} ${clientId}`;
  let verifier = verifiers.get(key);
  if (!verifier) {
    verifier = createTokenVerifier({ issuer, audience: clientId, discoveryUrl, clockToleranceSec: 60, discoveryFetch: fetch });
    verifiers.set(key, verifier);
  }
  return verifier;
}

/** `fetch` reaches the provider: the global one for the platform's own Entra app, the SSRF-safe one for a tenant's. */
type Client = { clientId: string; clientSecret: string; verifier: TokenVerifier; fetch: Fetch };

function clientOf(provider: SignInProvider | typeof MICROSOFT): Client {
  if (provider === MICROSOFT) {
    const app = microsoftApp();
    if (!app) throw new SsoSignInError("Sign-in with Microsoft is not configured on this server.", 503);
    return {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      verifier: verifierFor(app.issuer, app.clientId, platformFetch, app.discoveryUrl),
      fetch: platformFetch,
    };
  }
  return {
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    verifier: verifierFor(provider.issuer, provider.clientId, tenantProviderFetch),
    fetch: tenantProviderFetch,
  };
}

/** A request to the provider refused for where it points, in words for the tenant's admin; else the error as it is. */
function refusedAddress(error: unknown): unknown {
  const refusal = addressRefusal(error);
  return refusal ? new SsoSignInError(`Your organisation's sign-in service cannot be used: ${refusal.message}`, 400) : error;
}

/**
 * The authorization code for tokens at the provider's token endpoint
 * (client_secret_basic, PKCE), as arctic's OAuth2Client would send it, but
 * through the client's own fetch: arctic's always uses the global one.
 */
async function redeemCode(client: Client, tokenEndpoint: string, code: string, codeVerifier: string): Promise<OAuth2Tokens> {
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri(), code_verifier: codeVerifier });
  const response = await client.fetch(tokenEndpoint, {
    method: "POST",
    body: body.toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
    },
  });
  const data = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if ((response.status === 400 || response.status === 401) && typeof data?.error === "string") {
    throw new OAuth2RequestError(data.error, typeof data.error_description === "string" ? data.error_description : null, null, null);
  }
  if (response.status !== 200 || !data || typeof data !== "object") throw new Error(`The token endpoint answered HTTP ${response.status}`);
  return new OAuth2Tokens(data);
}

const redirectUri = () => `${env().APP_URL}${REDIRECT_PATH}`;

/** The redirect to the provider's sign-in page, and the cookie that carries the flow to the callback. */
export async function startTenantSignIn(
  provider: SignInProvider | typeof MICROSOFT,
  options: { purpose: Purpose; returnTo: string; loginHint?: string; testerSub?: string },
): Promise<{ location: string; setCookie: string }> {
  const client = clientOf(provider);
  let discovery;
  try {
    discovery = await client.verifier.discovery();
  } catch (error) {
    if (addressRefusal(error)) throw refusedAddress(error);
    if (error instanceof IdentityProviderUnavailableError)
      throw new SsoSignInError(`Your organisation's sign-in service did not answer: ${error.message}`, 503);
    throw error;
  }
  const state = generateState();
  const codeVerifier = generateCodeVerifier();
  const oauth = new OAuth2Client(client.clientId, client.clientSecret, redirectUri());
  const url = oauth.createAuthorizationURLWithPKCE(discovery.authorization_endpoint, state, CodeChallengeMethod.S256, codeVerifier, SCOPES);
  url.searchParams.set("nonce", nonceFor(state));
  if (options.loginHint) url.searchParams.set("login_hint", options.loginHint);
  // A test login asks for the credentials again, so the operator sees the account they type, not one already signed in.
  if (options.purpose === "test") url.searchParams.set("prompt", "login");
  const flow: Flow = {
    state,
    codeVerifier,
    providerId: provider === MICROSOFT ? MICROSOFT : provider.id,
    purpose: options.purpose,
    returnTo: options.returnTo,
    testerSub: options.testerSub,
    startedAt: Date.now(),
  };
  return { location: url.toString(), setCookie: flowCookie(flow) };
}

/**
 * A test login of a tenant's provider, on or off, by `testerSub` (an operator
 * from the SSO tab, the workspace's admin from the tenant portal): the
 * redirect to the provider, or why it cannot start.
 */
export async function startTestLogin(
  tenantId: string,
  options: { testerSub: string; returnTo: string },
): Promise<{ ok: true; location: string; setCookie: string } | { ok: false; message: string }> {
  const stored = await tenantIdentityProvider(tenantId);
  const provider = stored ? await providerById(stored.id, { enabledOnly: false }) : null;
  if (!provider) return { ok: false, message: "Save a provider first." };
  try {
    return { ok: true, ...(await startTenantSignIn(provider, { purpose: "test", ...options })) };
  } catch (error) {
    if (error instanceof SsoSignInError) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * The callback's work: the flow's state, the code for tokens, the ID token
 * checked, and the provider's claims read in platform terms. Throws
 * SsoSignInError with what the person can do about it.
 */
export async function completeTenantSignIn(request: Request): Promise<{ flow: Flow; identity: FederatedIdentity }> {
  const params = new URL(request.url).searchParams;
  const flow = readFlow(request);
  if (!flow || !params.get("state") || flow.state !== params.get("state")) {
    throw new SsoSignInError("This sign-in link has expired or was opened in another browser. Please start again.");
  }
  if (params.get("error")) {
    throw new SsoSignInError(
      params.get("error") === "access_denied"
        ? "Sign-in was cancelled."
        : `Your organisation's sign-in service refused the request (${params.get("error")}): ${params.get("error_description") ?? ""}`.trim(),
    );
  }
  const code = params.get("code");
  if (!code) throw new SsoSignInError("The sign-in service sent no authorization code. Please start again.");

  const started = flow.providerId === MICROSOFT ? MICROSOFT : await providerById(flow.providerId, { enabledOnly: flow.purpose === "sign_in" });
  if (!started) throw new SsoSignInError("This organisation's sign-in was switched off meanwhile. Ask your administrator.", 403);
  const client = clientOf(started);
  const discovery = await client.verifier.discovery().catch((error: unknown) => {
    throw refusedAddress(error);
  });
  let idToken: string;
  try {
    idToken = (await redeemCode(client, discovery.token_endpoint ?? "", code, flow.codeVerifier)).idToken();
  } catch (error) {
    if (addressRefusal(error)) throw refusedAddress(error);
    if (error instanceof OAuth2RequestError)
      throw new SsoSignInError(`Your organisation's sign-in service refused the code (${error.code}). Please start again.`);
    throw new SsoSignInError("Your organisation's sign-in service could not be reached to finish the sign-in.", 503);
  }
  let claims: JWTPayload;
  try {
    claims = await client.verifier.verifyPayload(idToken, { nonce: nonceFor(flow.state), clientId: client.clientId });
  } catch (error) {
    if (error instanceof TokenError) throw new SsoSignInError(`The sign-in token was not accepted (${error.reason}): ${error.message}.`);
    throw refusedAddress(error);
  }
  const provider = started === MICROSOFT ? await directoryProvider(claims) : started;
  if (provider.kind === "entra" && claims.tid !== provider.directoryId) {
    throw new SsoSignInError(
      "You signed in with an account of another Microsoft directory than this workspace's. Sign in with your account of this organisation.",
      403,
    );
  }
  return { flow, identity: federatedIdentity(provider, claims) };
}

/** The tenant a multi-tenant Microsoft sign-in lands in: the one whose provider names the token's directory. */
async function directoryProvider(claims: JWTPayload): Promise<SignInProvider> {
  const provider = typeof claims.tid === "string" ? await providerForDirectory(claims.tid) : null;
  if (!provider) {
    throw new SsoSignInError(
      `Your Microsoft organisation (directory ${String(claims.tid ?? "unknown")}) is not connected to a workspace here. Ask your administrator to set up Microsoft sign-in for your workspace, or sign in with Nexius SSO.`,
      403,
    );
  }
  return provider;
}

/** A provider's verified claims in platform terms (exported for unit tests of the mapping). */
export function federatedIdentity(provider: SignInProvider, claims: JWTPayload): FederatedIdentity {
  const str = (name: string) => (typeof claims[name] === "string" && claims[name] ? (claims[name] as string) : undefined);
  const email = str("email") ?? (provider.kind === "entra" ? str("preferred_username") : undefined);
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) throw new SsoSignInError("Your organisation's sign-in service did not tell us your email address.");
  if (provider.kind === "entra" && (!str("tid") || !str("oid"))) throw new SsoSignInError("The Microsoft token carries no directory or object id (tid, oid).");
  const values = claimValues(claims, provider.rolesClaim);
  return {
    provider,
    claims,
    sub: federatedSub(provider.kind, { iss: claims.iss!, sub: claims.sub!, tid: str("tid"), oid: str("oid") }),
    email: email.toLowerCase(),
    emailVerified: provider.emailDomains.includes(emailDomainOf(email) ?? ""),
    name: str("name"),
    claimValues: values,
    roles: mapRoles(values, provider.roleMapping),
  };
}
