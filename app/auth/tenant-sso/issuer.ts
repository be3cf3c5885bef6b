/**
 * Issuers of tenants' identity providers, and the user ids they give us.
 *
 * Microsoft Entra ID names each directory's issuer `<login host>/<tid>/v2.0`.
 * A multi-tenant app signs users in through the `organizations` (or
 * `common`) endpoint, whose discovery document states the issuer as
 * `<login host>/{tenantid}/v2.0`: as Microsoft documents, the token's `iss`
 * is then checked against that template with the token's own `tid` put in,
 * and the `tid` must be one we know.
 */
export const TENANT_ID_PLACEHOLDER = "{tenantid}";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isDirectoryId(value: string): boolean {
  return UUID.test(value);
}

/** A directory's issuer on a login host (https://login.microsoftonline.com, a national cloud's, or the simulator's). */
export function entraIssuer(loginHost: string, tid: string): string {
  return `${loginHost.replace(/\/+$/, "")}/${tid.toLowerCase()}/v2.0`;
}

/** The login host and directory of an Entra issuer, or null when it is not `<host>/<uuid>/v2.0`. */
export function parseEntraIssuer(issuer: string): { loginHost: string; tid: string } | null {
  const match = /^(https?:\/\/[^/]+(?:\/[^/]+)*?)\/([0-9a-f-]{36})\/v2\.0$/i.exec(issuer);
  if (!match || !isDirectoryId(match[2]!)) return null;
  return { loginHost: match[1]!, tid: match[2]!.toLowerCase() };
}

/**
 * Whether a token's `iss` is the issuer the template gives for its `tid`.
 * A template without the placeholder must match exactly; a missing or
 * malformed `tid` never matches.
 */
export function issuerMatchesTid(template: string, iss: unknown, tid: unknown): boolean {
  if (typeof iss !== "string") return false;
  if (!template.includes(TENANT_ID_PLACEHOLDER)) return iss === template;
  if (typeof tid !== "string" || !isDirectoryId(tid)) return false;
  return iss === template.replace(TENANT_ID_PLACEHOLDER, tid);
}

/**
 * Our `users.sub` for someone signed in through a tenant's provider. The
 * platform IdP's subjects are stored as they come, so these carry a prefix
 * and a `|` separator that platform subjects are refused with (see
 * `isFederatedSub`): two providers, or a provider and the platform IdP,
 * can never name the same user. Entra: the directory and the object id
 * (`oid`, the same for every app; Entra's `sub` differs per app). Others:
 * the issuer and its `sub`.
 */
export function federatedSub(kind: "oidc" | "entra", claims: { iss: string; sub: string; tid?: string; oid?: string }): string {
  if (kind === "entra") {
    if (!claims.tid || !claims.oid) throw new Error("An Entra ID token without tid or oid");
    return `entra|${claims.tid.toLowerCase()}|${claims.oid.toLowerCase()}`;
  }
  return `oidc|${claims.iss}|${claims.sub}`;
}

export function isFederatedSub(sub: string): boolean {
  return /^(entra|oidc)\|/.test(sub);
}
