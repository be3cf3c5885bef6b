/**
 * Every URL the Microsoft 365 source calls is built here from the two
 * configured hosts, or is a paging link Graph handed back that still points
 * at the Graph host: a response can never send our token elsewhere.
 */

/** `{graphBaseUrl}/v1.0/{path}?{query}`; the path's segments are given already encoded or as plain ids. */
export function graphUrl(graphBaseUrl: string, path: string, query: Record<string, string | undefined> = {}): string {
  const url = new URL(`${versionRoot(graphBaseUrl)}/${path.replace(/^\//, "")}`);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/** A path segment from an id Graph gave us (ids may hold `/`, `+` and `=`). */
export function segment(id: string): string {
  return encodeURIComponent(id);
}

/** Whether an `@odata.nextLink`/`@odata.deltaLink` may be followed: same origin as the Graph base, under its `/v1.0/`. */
export function isGraphLink(link: string, graphBaseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  const root = new URL(versionRoot(graphBaseUrl));
  return url.origin === root.origin && url.pathname.startsWith(`${root.pathname}/`) && !url.username && !url.password;
}

/**
 * A Graph URL as a JSON batch names it: relative to the version root
 * (`/users/{id}/contacts/delta?$deltatoken=…`), path and query kept as sent.
 * Only URLs on the configured Graph host (`isGraphLink`) go into a batch.
 */
export function batchRelativeUrl(url: string, graphBaseUrl: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname.slice(new URL(versionRoot(graphBaseUrl)).pathname.length)}${parsed.search}`;
}

/** The `$batch` endpoint under the configured base (https://learn.microsoft.com/en-us/graph/json-batching). */
export function batchUrl(graphBaseUrl: string): string {
  return `${versionRoot(graphBaseUrl)}/$batch`;
}

/** The identity platform's token endpoint for one directory (tenant id or domain). */
export function tokenUrl(loginBaseUrl: string, directoryId: string): string {
  return `${loginBaseUrl.replace(/\/+$/, "")}/${encodeURIComponent(directoryId)}/oauth2/v2.0/token`;
}

function versionRoot(graphBaseUrl: string): string {
  return `${graphBaseUrl.replace(/\/+$/, "")}/v1.0`;
}
