/**
 * The admin-consent round trip that connects a tenant's Microsoft 365: the
 * tenant admin is sent to the identity platform's admin-consent endpoint,
 * approves our app's application permissions for their directory, and comes
 * back to `redirectUri` with the outcome
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow#request-the-permissions-from-a-directory-admin).
 */

export function adminConsentUrl(opts: { loginBaseUrl: string; directoryId: string; clientId: string; redirectUri: string; state: string }): string {
  const url = new URL(`${opts.loginBaseUrl.replace(/\/+$/, "")}/${encodeURIComponent(opts.directoryId)}/adminconsent`);
  url.searchParams.set("client_id", opts.clientId);
  url.searchParams.set("redirect_uri", opts.redirectUri);
  url.searchParams.set("state", opts.state);
  return url.toString();
}

export type ConsentOutcome =
  { ok: true; directoryId: string; state: string | null } | { ok: false; error: string; description: string | null; state: string | null };

/**
 * Reads the callback's query: `admin_consent=True&tenant=…&state=…` on
 * success, `error=…&error_description=…` when the admin declined or the
 * request was wrong. Anything else is treated as a failure, never as consent.
 */
export function parseConsentCallback(query: URLSearchParams): ConsentOutcome {
  const state = query.get("state");
  const error = query.get("error");
  if (error) return { ok: false, error, description: query.get("error_description"), state };
  const tenant = query.get("tenant")?.trim();
  if (query.get("admin_consent")?.toLowerCase() === "true" && tenant) return { ok: true, directoryId: tenant, state };
  return { ok: false, error: "invalid_callback", description: "the consent answer carried neither admin_consent=True with a tenant nor an error", state };
}
