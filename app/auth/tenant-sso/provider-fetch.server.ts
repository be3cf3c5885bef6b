import { BlockedAddressError, SchemeNotAllowedError } from "~/crawler/errors.server";
import { createHostResolver } from "~/crawler/resolver.server";
import { createSafeFetcher, type SafeFetcher } from "~/crawler/safe-fetch.server";
import { env } from "~/env.server";
import { singleton } from "~/singleton.server";

/**
 * A tenant's own identity provider is reached only through the crawler's
 * SSRF-safe fetcher: its issuer, and the discovery document's `jwks_uri` and
 * `token_endpoint`, are whatever a tenant typed or its server names, so each
 * request resolves the host once, refuses private, loopback, link-local and
 * metadata addresses (on every redirect hop too), takes JSON only and at most
 * 1 MB, and gives up after 10 s. In production only https is used: the client
 * secret and the authorization code travel over it. The platform's own IdPs
 * (NEXIUS_ISSUER, the multi-tenant Entra app) are the operator's and use the
 * global fetch.
 */
const MAX_BYTES = 1024 * 1024;
const TIMEOUT_MS = 10_000;
const JSON_TYPES = ["application/json", "application/jwk-set+json"];

/** A request to a tenant's provider aimed at an address Nexius never connects to; the message is for the tenant's admin. */
export class ProviderAddressRefusedError extends Error {
  constructor(
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(`${url} is not an address Nexius connects to: a sign-in service needs a public https address.`, options);
    this.name = "ProviderAddressRefusedError";
  }
}

/** The refusal somewhere in an error's chain of causes (a discovery or key-set failure wraps it), or null. */
export function addressRefusal(error: unknown): ProviderAddressRefusedError | null {
  for (let at = error, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth++) {
    if (at instanceof ProviderAddressRefusedError) return at;
  }
  return null;
}

function providerFetcher(): SafeFetcher {
  return singleton("tenant-idp-fetcher", () => {
    const config = env();
    return createSafeFetcher({
      resolver: createHostResolver({ overrides: config.SSO_HOST_OVERRIDES, production: config.NODE_ENV === "production" }),
      userAgent: "NexiusLeads-SSO/1.0",
      connectTimeoutMs: 5_000,
      headersTimeoutMs: TIMEOUT_MS,
      totalTimeoutMs: TIMEOUT_MS,
      maxBytes: MAX_BYTES,
      maxRedirects: 3,
    });
  });
}

/**
 * fetch's shape over the safe fetcher, for the discovery document, jose's key
 * set and the token request: a refused address rejects with
 * ProviderAddressRefusedError, any other failure with a TypeError as fetch's
 * would. A POST carries the client's credentials and the code: it is never
 * sent on to a redirect's target.
 */
export async function tenantProviderFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const url = String(input);
  const method = init.method?.toUpperCase() === "POST" ? "POST" : "GET";
  try {
    if (env().NODE_ENV === "production" && new URL(url).protocol !== "https:") throw new SchemeNotAllowedError(url, new URL(url).protocol);
    const answer = await providerFetcher().fetch(url, {
      method,
      body: typeof init.body === "string" ? init.body : undefined,
      headers: Object.fromEntries(new Headers(init.headers)),
      contentTypes: JSON_TYPES,
      errorAnswers: true,
      maxRedirects: method === "POST" ? 0 : undefined,
      signal: init.signal ?? undefined,
    });
    return new Response(answer.body, { status: answer.status, headers: { "content-type": answer.contentType } });
  } catch (error) {
    // The refused address itself: a redirect's target, or the host that resolved to a private address.
    if (error instanceof BlockedAddressError || error instanceof SchemeNotAllowedError) throw new ProviderAddressRefusedError(error.url, { cause: error });
    throw new TypeError("fetch failed", { cause: error });
  }
}
