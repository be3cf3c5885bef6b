import { createRemoteJWKSet, customFetch, decodeProtectedHeader, errors as joseErrors, jwtVerify, type FetchImplementation, type JWTPayload } from "jose";
import { z } from "zod";
import { isFederatedSub, issuerMatchesTid, TENANT_ID_PLACEHOLDER } from "./tenant-sso/issuer";

/**
 * Verification of Nexius SSO JWTs (ID tokens, and the same tokens presented
 * as `Authorization: Bearer` on /api): signature against the issuer's JWKS
 * (found through discovery, cached, refetched on an unknown `kid` at most once
 * per cooldown), a pinned list of asymmetric algorithms, exact `iss` and
 * `aud`, `exp`/`nbf` with small clock tolerance, and typed claims.
 */

export const TOKEN_ERROR_REASONS = [
  "missing",
  "malformed",
  "alg_not_allowed",
  "bad_signature",
  "unknown_key",
  "expired",
  "not_yet_valid",
  "wrong_issuer",
  "wrong_audience",
  "nonce_mismatch",
  "claims_invalid",
] as const;

export type TokenErrorReason = (typeof TOKEN_ERROR_REASONS)[number];

/** The token is not acceptable; `reason` is for code and logs, `message` for people. Maps to HTTP 401. */
export class TokenError extends Error {
  constructor(
    readonly reason: TokenErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "TokenError";
  }
}

/** The identity provider could not be reached or answered nonsense; says nothing about the token. Maps to HTTP 503. */
export class IdentityProviderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "IdentityProviderUnavailableError";
  }
}

/** Symmetric algorithms and "none" are never accepted: with them a public key could forge tokens. */
export const ASYMMETRIC_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export const DEFAULT_ALGORITHMS: AsymmetricAlgorithm[] = ["RS256", "PS256", "ES256"];
export const MAX_CLOCK_TOLERANCE_SEC = 60;

export const discoveryDocumentSchema = z.looseObject({
  issuer: z.url(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url().optional(),
  userinfo_endpoint: z.url().optional(),
  jwks_uri: z.url(),
  end_session_endpoint: z.url().optional(),
  revocation_endpoint: z.url().optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});
export type DiscoveryDocument = z.infer<typeof discoveryDocumentSchema>;

export const verifiedClaimsSchema = z.object({
  // The shape of the users we key by a tenant provider's subject is never the platform IdP's to claim.
  sub: z
    .string()
    .min(1)
    .refine((sub) => !isFederatedSub(sub), "is reserved for tenants' own identity providers"),
  email: z.email(),
  // OIDC Core 5.1: true only when the IdP verified the address; anything else (absent, false, "true") is unverified.
  email_verified: z
    .unknown()
    .optional()
    .transform((v) => v === true),
  // IdPs send the tenant id as a string or an integer claim; the platform keys tenants by string.
  tenant_id: z
    .union([z.string().min(1), z.number().int()])
    .transform(String)
    .optional(),
  roles: z.array(z.string().min(1)).default([]),
  odoo_db: z.string().min(1).optional(),
  name: z.string().optional(),
  exp: z.number(),
  iat: z.number(),
});
export type VerifiedClaims = z.output<typeof verifiedClaimsSchema>;

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export type TokenVerifierConfig = {
  /**
   * Exactly as the IdP's discovery document states it (compared byte for byte with `iss`).
   * A multi-tenant Entra endpoint's `<host>/{tenantid}/v2.0` is a template: `iss` must equal
   * it with the token's own `tid` put in.
   */
  issuer: string;
  /** Where the discovery document is, when not under the issuer (a multi-tenant endpoint's issuer is a template). */
  discoveryUrl?: string;
  /** Accepted `aud` values: NEXIUS_AUDIENCE, else the client id. */
  audience: string | string[];
  algorithms?: AsymmetricAlgorithm[];
  /** Allowed clock skew for exp/nbf, 0–60 s. Default 30. */
  clockToleranceSec?: number;
  /** Used for the discovery document and the JWKS (tests count calls; a tenant's provider: the SSRF-safe fetcher). Default global fetch. */
  discoveryFetch?: Fetch;
  /** Minimum time between JWKS refetches triggered by an unknown `kid`. Default 30 s. */
  jwksCooldownMs?: number;
  /** How long the discovery document is reused. Default 1 hour. */
  discoveryMaxAgeMs?: number;
};

export type TokenVerifier = {
  /**
   * Resolves to the token's claims, or throws TokenError / IdentityProviderUnavailableError.
   * `clientId` checks an ID token issued to that client (OIDC Core §3.1.3.7): its `aud` must
   * include it (even when API tokens use another audience), and `azp`, required when `aud`
   * names several parties, must equal it.
   */
  verify(token: string | null | undefined, options?: { nonce?: string; clientId?: string }): Promise<VerifiedClaims>;
  /** The same checks, and the token's claims as they are (a tenant's provider maps them itself). */
  verifyPayload(token: string | null | undefined, options?: { nonce?: string; clientId?: string }): Promise<JWTPayload>;
  /** The issuer's discovery document (cached). */
  discovery(): Promise<DiscoveryDocument>;
};

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
}

/** Fetches and validates `${issuer}/.well-known/openid-configuration`; its `issuer` must equal ours exactly. */
export async function fetchDiscovery(issuer: string, options: { fetch?: Fetch; url?: string } = {}): Promise<DiscoveryDocument> {
  const url = options.url ?? discoveryUrl(issuer);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(5000) });
  } catch (cause) {
    throw new IdentityProviderUnavailableError(`Could not reach the identity provider at ${url}`, { cause });
  }
  if (!response.ok) throw new IdentityProviderUnavailableError(`${url} answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new IdentityProviderUnavailableError(`${url} did not return JSON`, { cause });
  }
  const parsed = discoveryDocumentSchema.safeParse(body);
  if (!parsed.success) {
    throw new IdentityProviderUnavailableError(`${url} is not an OpenID discovery document: ${z.prettifyError(parsed.error)}`);
  }
  if (parsed.data.issuer !== issuer) {
    throw new IdentityProviderUnavailableError(
      `The discovery document names issuer ${parsed.data.issuer}, but ${issuer} is configured; set NEXIUS_ISSUER to the exact issuer`,
    );
  }
  return parsed.data;
}

/** The IdP's RP-initiated logout URL, or undefined when it has no end_session_endpoint. */
export function endSessionUrl(
  discovery: Pick<DiscoveryDocument, "end_session_endpoint">,
  params: { idTokenHint?: string; postLogoutRedirectUri?: string; state?: string; clientId?: string },
): string | undefined {
  if (!discovery.end_session_endpoint) return undefined;
  const url = new URL(discovery.end_session_endpoint);
  if (params.idTokenHint) url.searchParams.set("id_token_hint", params.idTokenHint);
  if (params.postLogoutRedirectUri) url.searchParams.set("post_logout_redirect_uri", params.postLogoutRedirectUri);
  if (params.state) url.searchParams.set("state", params.state);
  if (params.clientId) url.searchParams.set("client_id", params.clientId);
  return url.toString();
}

export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  const algorithms = config.algorithms ?? DEFAULT_ALGORITHMS;
  const allowed = new Set<string>(ASYMMETRIC_ALGORITHMS);
  for (const alg of algorithms) {
    if (!allowed.has(alg)) throw new TypeError(`Algorithm ${alg} is not allowed for token verification (asymmetric only)`);
  }
  if (!algorithms.length) throw new TypeError("At least one algorithm must be allowed");
  const clockTolerance = config.clockToleranceSec ?? 30;
  if (!(clockTolerance >= 0 && clockTolerance <= MAX_CLOCK_TOLERANCE_SEC)) {
    throw new TypeError(`clockToleranceSec must be between 0 and ${MAX_CLOCK_TOLERANCE_SEC}`);
  }
  const audiences = Array.isArray(config.audience) ? config.audience : [config.audience];
  if (!audiences.length || audiences.some((a) => !a)) throw new TypeError("audience must name at least one value");
  const discoveryMaxAge = config.discoveryMaxAgeMs ?? 3_600_000;

  let cached: { document: Promise<DiscoveryDocument>; at: number } | undefined;
  let keys: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;

  function discovery(): Promise<DiscoveryDocument> {
    if (!cached || Date.now() - cached.at > discoveryMaxAge) {
      const document = fetchDiscovery(config.issuer, { fetch: config.discoveryFetch, url: config.discoveryUrl });
      const entry = { document, at: Date.now() };
      cached = entry;
      // A failed fetch is not cached: the next request tries again.
      document.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.document;
  }

  function keySet(document: DiscoveryDocument) {
    if (keys?.uri !== document.jwks_uri) {
      keys = {
        uri: document.jwks_uri,
        set: createRemoteJWKSet(new URL(document.jwks_uri), {
          cooldownDuration: config.jwksCooldownMs ?? 30_000,
          ...(config.discoveryFetch ? { [customFetch]: config.discoveryFetch as FetchImplementation } : {}),
        }),
      };
    }
    return keys.set;
  }

  const issuerTemplate = config.issuer.includes(TENANT_ID_PLACEHOLDER);

  async function verifyPayload(token: string | null | undefined, options: { nonce?: string; clientId?: string } = {}): Promise<JWTPayload> {
    const compact = typeof token === "string" ? token.trim() : "";
    if (!compact) throw new TokenError("missing", "No token was presented");
    if (compact.split(".").length !== 3) throw new TokenError("malformed", "The token is not a signed JWT");
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(compact).alg;
    } catch (cause) {
      throw new TokenError("malformed", "The token header cannot be decoded", { cause });
    }
    if (!alg || !(algorithms as string[]).includes(alg)) {
      throw new TokenError("alg_not_allowed", `Tokens signed with ${alg ?? "no algorithm"} are not accepted`);
    }

    const document = await discovery();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(compact, keySet(document), {
        ...(issuerTemplate ? {} : { issuer: config.issuer }),
        audience: options.clientId ?? audiences,
        algorithms,
        clockTolerance,
        requiredClaims: ["sub", "exp", "iat"],
      }));
    } catch (error) {
      throw translate(error);
    }
    if (issuerTemplate && !issuerMatchesTid(config.issuer, payload.iss, payload.tid)) {
      throw new TokenError("wrong_issuer", "The token's issuer is not the one of the directory it names (tid)");
    }

    if (
      options.clientId !== undefined &&
      (payload.azp !== undefined || (Array.isArray(payload.aud) && payload.aud.length > 1)) &&
      payload.azp !== options.clientId
    ) {
      throw new TokenError("wrong_audience", "The ID token was issued to another client (azp)");
    }
    if (options.nonce !== undefined && payload.nonce !== options.nonce) {
      throw new TokenError("nonce_mismatch", "The token was not issued for this sign-in (nonce mismatch)");
    }
    return payload;
  }

  async function verify(token: string | null | undefined, options: { nonce?: string; clientId?: string } = {}): Promise<VerifiedClaims> {
    const payload = await verifyPayload(token, options);
    const claims = verifiedClaimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new TokenError("claims_invalid", `The token's claims are not usable: ${z.prettifyError(claims.error)}`);
    }
    return claims.data;
  }

  return { verify, verifyPayload, discovery };
}

function translate(error: unknown): Error {
  if (error instanceof joseErrors.JWTExpired) return new TokenError("expired", "The token has expired", { cause: error });
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === "check_failed") {
      if (error.claim === "nbf") return new TokenError("not_yet_valid", "The token is not valid yet", { cause: error });
      if (error.claim === "iss") return new TokenError("wrong_issuer", "The token was issued by another identity provider", { cause: error });
      if (error.claim === "aud") return new TokenError("wrong_audience", "The token was issued for another application", { cause: error });
    }
    return new TokenError("claims_invalid", `The token's claims are not usable: ${error.message}`, { cause: error });
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new TokenError("bad_signature", "The token's signature is not valid", { cause: error });
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new TokenError("unknown_key", "The token was signed with a key the identity provider does not publish", { cause: error });
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) {
    return new TokenError("alg_not_allowed", "The token's algorithm is not accepted", { cause: error });
  }
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return new TokenError("malformed", "The token is not a valid JWT", { cause: error });
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || error instanceof joseErrors.JOSEError) {
    return new IdentityProviderUnavailableError("The identity provider's signing keys could not be loaded", { cause: error });
  }
  if (error instanceof TypeError) return new IdentityProviderUnavailableError("The identity provider's signing keys could not be loaded", { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
