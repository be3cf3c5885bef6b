/**
 * Cross-site request protection for cookie-authenticated writes. Browsers
 * send `Sec-Fetch-Site` (and `Origin` on every POST); a write is accepted only
 * when it comes from our own origin. Requests without a session cookie carry
 * no ambient credential (bearer tokens must be attached deliberately), so
 * they cannot be forged cross-site and are not checked here.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type CrossSiteVerdict = { allowed: true } | { allowed: false; reason: string };

export function checkCrossSite(input: {
  method: string;
  appOrigin: string;
  hasSessionCookie: boolean;
  origin?: string | null;
  secFetchSite?: string | null;
}): CrossSiteVerdict {
  if (SAFE_METHODS.has(input.method.toUpperCase()) || !input.hasSessionCookie) return { allowed: true };
  if (input.secFetchSite) {
    if (input.secFetchSite === "same-origin" || input.secFetchSite === "none") return { allowed: true };
    return { allowed: false, reason: `cross-site request (Sec-Fetch-Site: ${input.secFetchSite})` };
  }
  if (input.origin) {
    if (input.origin === input.appOrigin) return { allowed: true };
    return { allowed: false, reason: `request from another origin (${input.origin})` };
  }
  return { allowed: false, reason: "state-changing request without Origin or Sec-Fetch-Site" };
}
