/**
 * Cross-site request protection for cookie-authenticated writes. Browsers
 * send `Sec-Fetch-Site` (and `Origin` on every POST); a write is accepted only
 * when it comes from our own origin. Requests without a session cookie carry
 * no ambient credential (bearer tokens must be attached deliberately), so
 * they cannot be forged cross-site and are not checked here.
 *
 * A download of an export is a GET that changes something: it counts against
 * the plan's exports a month. A link on another site must not spend them, so
 * a browser that says the download came from another site is refused too;
 * one that says nothing (an old browser, a script with the cookie) is let
 * through, since a navigation carries no Origin to judge by.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const COUNTED_DOWNLOADS = "/api/export/";

export type CrossSiteVerdict = { allowed: true } | { allowed: false; reason: string };

export function checkCrossSite(input: {
  method: string;
  /** The request's path: exports are counted downloads. */
  path: string;
  appOrigin: string;
  hasSessionCookie: boolean;
  origin?: string | null;
  secFetchSite?: string | null;
}): CrossSiteVerdict {
  if (!input.hasSessionCookie) return { allowed: true };
  if (SAFE_METHODS.has(input.method.toUpperCase())) {
    const counted = input.path.startsWith(COUNTED_DOWNLOADS) && input.secFetchSite && input.secFetchSite !== "same-origin" && input.secFetchSite !== "none";
    return counted ? { allowed: false, reason: `export download from another site (Sec-Fetch-Site: ${input.secFetchSite})` } : { allowed: true };
  }
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
