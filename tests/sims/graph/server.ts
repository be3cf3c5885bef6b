import { randomUUID } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { adminConsentAnswer, adminConsentPage, type ConsentReply } from "./admin-consent";
import { GraphDirectory, seedDemoDirectory, type DirectoryCredentials, type SimEvent, type Tracked } from "./directory";
import { aadError, contactJson, eventJson, graphError, inWindow, pick, userJson, type Reply, type Window } from "./wire";

/**
 * A Microsoft Graph stand-in for the data lake's Microsoft 365 source,
 * speaking the documented wire format of:
 *   POST /{tenant}/oauth2/v2.0/token                               (client credentials)
 *   GET, POST /{tenant}/adminconsent                               (the admin-consent page, ./admin-consent.ts)
 *   GET  /v1.0/users, /v1.0/users/delta                            (User.Read.All)
 *   GET  /v1.0/users/{id}/contactFolders, /users/{id}/contacts     (Contacts.Read)
 *   GET  /v1.0/users/{id}/contactFolders/{id}/contacts/delta
 *   GET  /v1.0/users/{id}/calendarView[/delta]?startDateTime&endDateTime (Calendars.Read)
 *   POST /v1.0/$batch                                             (JSON batching of the GETs above)
 * Delta rounds hand out real `$skiptoken`/`$deltatoken` links, report deleted
 * items as `@removed`, and answer 410 `syncStateNotFound` for a token they do
 * not know (or after `expireDeltaTokens()`). Like Graph, `contactFolders`
 * leaves out the default Contacts folder. `throttleNext` answers the next
 * requests 429 with `Retry-After`.
 */

export type GraphSimOptions = {
  port?: number;
  host?: string;
  /** The directories served; each is seeded with demo data unless `demo` is false. */
  directories: DirectoryCredentials[];
  /** `crmAccounts`: per directory id, the seed of its tenant's demo CRM customers, whom the demo meetings invite. */
  demo?: { seed: string | number; today?: Date; crmAccounts?: Record<string, string> } | false;
  now?: () => number;
  tokenLifetimeS?: number;
  /** Items per page when the client sends no `Prefer: odata.maxpagesize`. */
  defaultPageSize?: number;
  /** Paging links point here instead of at the simulator (tests of clients that must refuse them). */
  linkBaseUrl?: string;
};

/** A request the simulator answered; `inBatch` for one that came inside a `$batch` (which is listed too, as its own POST). */
export type GraphSimRequest = { method: string; path: string; query: Record<string, string>; status: number; inBatch?: boolean };

/** Graph takes at most this many requests in one JSON batch. */
const BATCH_LIMIT = 20;

type BatchRequest = { id: string; method: string; url: string; headers?: Record<string, string> };

/** `retry-after` → `Retry-After`, as Graph spells the headers of a batch's responses. */
function headerCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

export type GraphSim = {
  url: string;
  port: number;
  directory(directoryId: string): GraphDirectory;
  requests: GraphSimRequest[];
  stats: { tokenRequests: number; graphRequests: number; throttled: number };
  /** The next `count` Graph requests are answered 429 (or 503/504, Graph's "come back later") with `Retry-After: retryAfterS`. */
  throttleNext(count: number, retryAfterS?: number, status?: 429 | 503 | 504): void;
  /** Forgets every skip and delta token, as Graph does when its token cache drops them. */
  expireDeltaTokens(): void;
  close(): Promise<void>;
};

type Scope = { key: string; directory: GraphDirectory; kind: "users" | "contacts" | "events"; userId?: string; folderId?: string; window?: Window };
type Round = { scope: string; ids: string[]; offset: number; upto: number; select?: string[]; window?: Window; changes: boolean };
type DeltaState = { scope: string; since: number; select?: string[]; window?: Window };

export async function startGraphSimulator(options: GraphSimOptions): Promise<GraphSim> {
  const now = options.now ?? Date.now;
  const directories = new Map<string, GraphDirectory>();
  for (const credentials of options.directories) {
    const directory = new GraphDirectory(credentials, now);
    if (options.demo !== false) {
      seedDemoDirectory(directory, {
        seed: options.demo?.seed ?? 42,
        today: options.demo?.today ?? new Date(now()),
        crmAccounts: options.demo?.crmAccounts?.[credentials.directoryId],
      });
    }
    directories.set(credentials.directoryId, directory);
  }
  const tokens = new Map<string, { directoryId: string; expiresAt: number }>();
  const rounds = new Map<string, Round>();
  const deltas = new Map<string, DeltaState>();
  const requests: GraphSimRequest[] = [];
  const stats = { tokenRequests: 0, graphRequests: 0, throttled: 0 };
  let throttle = { left: 0, retryAfterS: 1, status: 429 };
  let ownUrl = "";

  const findDirectory = (tenant: string) =>
    directories.get(tenant) ?? [...directories.values()].find((d) => d.credentials.domain.toLowerCase() === tenant.toLowerCase());

  function token(tenant: string, contentType: string | undefined, rawBody: string): Reply {
    stats.tokenRequests += 1;
    const form = new URLSearchParams(rawBody);
    const directory = findDirectory(tenant);
    if (!contentType?.startsWith("application/x-www-form-urlencoded")) {
      return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
    }
    if (!directory) return aadError(400, "invalid_request", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
    if (form.get("grant_type") !== "client_credentials") {
      return aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    // The resource is Microsoft Graph, by its public name or by the host standing in for it.
    if (![`https://graph.microsoft.com/.default`, `${ownUrl}/.default`].includes(form.get("scope") ?? "")) {
      return aadError(
        400,
        "invalid_scope",
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${form.get("scope")} is not valid.`,
      );
    }
    if (form.get("client_id") !== directory.credentials.clientId) {
      return aadError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${form.get("client_id")}' was not found in the directory '${directory.credentials.domain}'.`,
      );
    }
    if (form.get("client_secret") !== directory.credentials.clientSecret) {
      return aadError(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.",
      );
    }
    const lifetime = options.tokenLifetimeS ?? 3599;
    const accessToken = `eyJ0eXAiOiJKV1Qi.${randomUUID().replace(/-/g, "")}`;
    tokens.set(accessToken, { directoryId: directory.credentials.directoryId, expiresAt: now() + lifetime * 1000 });
    return { status: 200, body: { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken } };
  }

  function session(authorization: string | undefined) {
    const bearer = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1];
    const found = bearer ? tokens.get(bearer) : undefined;
    return found && found.expiresAt > now() ? found : undefined;
  }

  const invalidToken = () => graphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");

  function graph(headers: { authorization?: string; prefer?: string }, url: URL): Reply {
    stats.graphRequests += 1;
    const caller = session(headers.authorization);
    if (!caller) return invalidToken();
    if (throttle.left > 0) {
      throttle.left -= 1;
      stats.throttled += 1;
      const [code, message] =
        throttle.status === 429 ? ["TooManyRequests", "Too many requests."] : ["ServiceNotAvailable", "The service is temporarily unavailable."];
      return { ...graphError(throttle.status, code, message), headers: { "retry-after": String(throttle.retryAfterS) } };
    }
    const directory = directories.get(caller.directoryId)!;
    const query = new Map([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(headers.prefer ?? "")?.[1] ?? options.defaultPageSize ?? 50);
    const parts = url.pathname.slice("/v1.0/".length).split("/").map(decodeURIComponent);
    const select = query.get("$select")?.split(",").filter(Boolean);
    const top = query.has("$top") ? Number(query.get("$top")) : pageSize;

    if (parts[0] !== "users") return graphError(400, "BadRequest", `Resource not found for the segment '${parts[0]}'.`);
    if (!directory.roles.has("User.Read.All")) return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    if (parts.length === 1) {
      const users = [...directory.users.values()].filter((u) => !u.deleted);
      return list(url, query, top, users, (t) => userJson(t, select));
    }
    if (parts.length === 2 && (parts[1] === "delta" || parts[1] === "microsoft.graph.delta")) {
      return delta(url, query, pageSize, { key: "users", directory, kind: "users" }, select);
    }
    const user = directory.userByKey(parts[1]!);
    if (!user || user.deleted)
      return graphError(
        404,
        "Request_ResourceNotFound",
        `Resource '${parts[1]}' does not exist or one of its queried reference-property objects are not present.`,
      );
    const mailboxRole = parts[2] === "calendarView" ? "Calendars.Read" : "Contacts.Read";
    if (!directory.roles.has(mailboxRole)) return graphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    if (!user.item.hasMailbox) return graphError(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
    const userId = user.item.id;
    const path = parts.slice(2).join("/");
    if (path === "contactFolders") {
      const folders = [...directory.folders.values()].filter((f) => f.userId === userId && !f.isDefault);
      const defaultId = directory.defaultFolder(userId).id;
      return list(url, query, top, folders, (f) => pick({ id: f.id, displayName: f.displayName, parentFolderId: defaultId }, select));
    }
    if (path === "contacts") {
      const defaultId = directory.defaultFolder(userId).id;
      const contacts = [...directory.contacts.values()].filter((c) => !c.deleted && c.owner === userId && c.item.parentFolderId === defaultId);
      return list(url, query, top, contacts, (c) => contactJson(c, select));
    }
    if (parts[2] === "contactFolders" && parts[4] === "contacts" && parts[5] === "delta" && parts.length === 6) {
      const folder = directory.folders.get(parts[3]!);
      if (!folder || folder.userId !== userId) return graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
      return delta(url, query, pageSize, { key: `contacts|${userId}|${folder.id}`, directory, kind: "contacts", userId, folderId: folder.id }, select);
    }
    if (path === "calendarView" || path === "calendarView/delta") {
      const start = Date.parse(query.get("startdatetime") ?? "");
      const end = Date.parse(query.get("enddatetime") ?? "");
      const resuming = query.has("$skiptoken") || query.has("$deltatoken");
      if (!resuming && (Number.isNaN(start) || Number.isNaN(end))) {
        return graphError(
          400,
          "ErrorInvalidParameter",
          "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
        );
      }
      const window = { start, end };
      if (path === "calendarView") {
        const events = [...directory.events.values()].filter((e) => !e.deleted && e.owner === userId && inWindow(e.item, window));
        return list(url, query, top, events, (e) => eventJson(e));
      }
      return delta(url, query, pageSize, { key: `events|${userId}`, directory, kind: "events", userId, window }, undefined);
    }
    return graphError(400, "BadRequest", `Unsupported segment in ${url.pathname}.`);
  }

  function tracked(scope: Scope): Array<Tracked<unknown> & { id: string }> {
    const { directory } = scope;
    const withId = <T extends { id: string }>(t: Tracked<T>) => ({ ...t, id: t.item.id });
    if (scope.kind === "users") return [...directory.users.values()].map(withId);
    if (scope.kind === "contacts") {
      return [...directory.contacts.values()].filter((c) => c.owner === scope.userId && c.item.parentFolderId === scope.folderId).map(withId);
    }
    return [...directory.events.values()].filter((e) => e.owner === scope.userId).map(withId);
  }

  function render(scope: Scope, id: string, round: Round): unknown | undefined {
    const { directory } = scope;
    if (scope.kind === "users") {
      const t = directory.users.get(id)!;
      if (t.deleted) return round.changes ? { id, "@removed": { reason: "changed" } } : undefined;
      return userJson(t, round.select);
    }
    if (scope.kind === "contacts") {
      const t = directory.contacts.get(id)!;
      if (t.deleted || t.item.parentFolderId !== scope.folderId) return round.changes ? { id, "@removed": { reason: "deleted" } } : undefined;
      return contactJson(t, round.select);
    }
    const t = directory.events.get(id)!;
    // Graph reports events that left the window (or changed outside it) as removed too.
    if (t.deleted || !inWindow(t.item, round.window!)) {
      return round.changes ? { "@odata.type": "#microsoft.graph.event", id, "@removed": { reason: "deleted" } } : undefined;
    }
    return eventJson(t);
  }

  function delta(url: URL, query: Map<string, string>, pageSize: number, scope: Scope, select: string[] | undefined): Reply {
    let round: Round;
    const skip = query.get("$skiptoken");
    const since = query.get("$deltatoken");
    if (skip !== undefined) {
      const known = rounds.get(skip);
      if (!known || known.scope !== scope.key) return syncStateNotFound(url);
      round = known;
    } else if (since !== undefined) {
      const state = deltas.get(since);
      if (!state || state.scope !== scope.key) return syncStateNotFound(url);
      const changed = tracked({ ...scope, window: state.window }).filter((t) => t.changedAt > state.since);
      changed.sort((a, b) => a.changedAt - b.changedAt);
      round = {
        scope: scope.key,
        ids: changed.map((t) => t.id),
        offset: 0,
        upto: scope.directory.changeNumber,
        select: state.select,
        window: state.window,
        changes: true,
      };
    } else {
      const live = tracked(scope).filter((t) => !t.deleted && (scope.kind !== "events" || inWindow(t.item as SimEvent, scope.window!)));
      round = { scope: scope.key, ids: live.map((t) => t.id), offset: 0, upto: scope.directory.changeNumber, select, window: scope.window, changes: false };
    }
    const scoped = { ...scope, window: round.window };
    const slice = round.ids.slice(round.offset, round.offset + pageSize);
    const value = slice.map((id) => render(scoped, id, round)).filter((v) => v !== undefined);
    const linkBase = `${options.linkBaseUrl ?? ownUrl}${url.pathname}`;
    const context = `${options.linkBaseUrl ?? ownUrl}/v1.0/$metadata#${scope.kind === "users" ? "users" : `Collection(${scope.kind === "contacts" ? "contact" : "event"})`}`;
    if (round.offset + pageSize < round.ids.length) {
      const token = randomUUID().replace(/-/g, "");
      rounds.set(token, { ...round, offset: round.offset + pageSize });
      return { status: 200, body: { "@odata.context": context, "@odata.nextLink": `${linkBase}?$skiptoken=${token}`, value } };
    }
    const token = randomUUID().replace(/-/g, "");
    deltas.set(token, { scope: scope.key, since: round.upto, select: round.select, window: round.window });
    return { status: 200, body: { "@odata.context": context, "@odata.deltaLink": `${linkBase}?$deltatoken=${token}`, value } };
  }

  /** A plain collection, paged with an opaque `$skiptoken`; `$count=true` adds the total, `$filter` is not applied. */
  function list<T>(url: URL, query: Map<string, string>, top: number, items: T[], json: (item: T) => unknown): Reply {
    const offset = Number(Buffer.from(query.get("$skiptoken") ?? "", "base64url").toString() || 0);
    const value = items.slice(offset, offset + top).map(json);
    const select = query.get("$select");
    const body: Record<string, unknown> = {
      "@odata.context": `${options.linkBaseUrl ?? ownUrl}/v1.0/$metadata#${url.pathname.slice("/v1.0/".length)}${select ? `(${select})` : ""}`,
    };
    if (query.get("$count") === "true") body["@odata.count"] = items.length;
    body.value = value;
    const next = new URLSearchParams([...url.searchParams].filter(([k]) => k.toLowerCase() !== "$skiptoken"));
    if (offset + top < items.length) {
      next.set("$skiptoken", Buffer.from(String(offset + top)).toString("base64url"));
      body["@odata.nextLink"] = `${options.linkBaseUrl ?? ownUrl}${url.pathname}?${next.toString()}`;
    }
    return { status: 200, body };
  }

  /**
   * `POST /v1.0/$batch` (https://learn.microsoft.com/en-us/graph/json-batching):
   * up to 20 requests, each run through the same handlers as if sent alone
   * with the batch's token and its own headers, answered as `responses` with
   * each one's id, status, headers and body, in reverse order (Graph answers
   * in whatever order they finish). A malformed batch, one with more than 20
   * requests or with an id twice, is a 400 as a whole. Only GETs are served: the
   * app holds read permissions, so a write to a user is refused (403) and any
   * other write target does not take that method (405).
   */
  function batch(authorization: string | undefined, rawBody: string): Reply {
    if (!session(authorization)) return invalidToken();
    let asked: unknown;
    try {
      asked = (JSON.parse(rawBody) as { requests?: unknown }).requests;
    } catch {
      return graphError(400, "BadRequest", "Invalid batch payload format.");
    }
    const valid = (r: unknown): r is BatchRequest =>
      typeof r === "object" && r !== null && ["id", "method", "url"].every((key) => typeof (r as Record<string, unknown>)[key] === "string");
    if (!Array.isArray(asked) || asked.length === 0 || !asked.every(valid)) return graphError(400, "BadRequest", "Invalid batch payload format.");
    if (asked.length > BATCH_LIMIT) return graphError(400, "BadRequest", `The number of requests in a batch exceeds the limit of ${BATCH_LIMIT}.`);
    const ids = new Set<string>();
    for (const { id } of asked) {
      if (ids.has(id.toLowerCase())) return graphError(400, "BadRequest", `Request Id ${id} has to be unique in a batch.`);
      ids.add(id.toLowerCase());
    }
    const responses = asked.map((request) => {
      const reply = batchItem(authorization, request);
      requests.push({ method: request.method, path: reply.path, query: reply.query, status: reply.status, inBatch: true });
      const headers: Record<string, string> = { "Cache-Control": "no-cache", "Content-Type": "application/json", ...reply.headers };
      return { id: request.id, status: reply.status, headers, body: reply.body };
    });
    return { status: 200, body: { responses: responses.reverse() } };
  }

  function batchItem(authorization: string | undefined, request: BatchRequest): Reply & { path: string; query: Record<string, string> } {
    // Relative to the version root, with or without the leading slash (Graph's own example has both).
    const url = new URL(`/v1.0/${request.url.replace(/^\//, "")}`, "http://sim");
    const where = { path: url.pathname, query: Object.fromEntries(url.searchParams) };
    if (/^(https?:)?\/\//i.test(request.url)) return { ...graphError(400, "BadRequest", "Invalid request URL."), ...where };
    if (request.method.toUpperCase() !== "GET") {
      // The app holds read permissions only: a write to a user is refused; any other target takes no writes here.
      if (/^\/v1\.0\/users(\/[^/]+)?$/.test(url.pathname)) {
        return { ...graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."), ...where };
      }
      return { ...graphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."), ...where };
    }
    const prefer = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === "prefer")?.[1];
    const reply = graph({ authorization, prefer }, url);
    return { ...reply, headers: Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [headerCase(k), v])), ...where };
  }

  function syncStateNotFound(url: URL): Reply {
    return {
      ...graphError(410, "SyncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again."),
      headers: { location: `${options.linkBaseUrl ?? ownUrl}${url.pathname}?$deltatoken=` },
    };
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://sim");
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    const consentPath = /^\/([^/]+)\/adminconsent$/.exec(url.pathname);
    if (consentPath && (req.method === "GET" || req.method === "POST")) {
      const tenant = decodeURIComponent(consentPath[1]!);
      const consent: ConsentReply =
        req.method === "GET"
          ? adminConsentPage(directories.values(), tenant, url.searchParams)
          : adminConsentAnswer(directories.values(), tenant, new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: consent.status });
      res.writeHead(consent.status, consent.location ? { location: consent.location } : { "content-type": "text/html; charset=utf-8" });
      res.end(consent.html ?? "");
      return;
    }
    let reply: Reply;
    if (tokenPath && req.method === "POST")
      reply = token(decodeURIComponent(tokenPath[1]!), req.headers["content-type"], Buffer.concat(chunks).toString("utf8"));
    else if (url.pathname === "/v1.0/$batch" && req.method === "POST") reply = batch(req.headers.authorization, Buffer.concat(chunks).toString("utf8"));
    else if (url.pathname.startsWith("/v1.0/") && req.method === "GET")
      reply = graph({ authorization: req.headers.authorization, prefer: String(req.headers.prefer ?? "") }, url);
    else reply = graphError(404, "UnknownError", `No route for ${req.method} ${url.pathname}`);
    requests.push({ method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), status: reply.status });
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ownUrl = `http://${options.host ?? "127.0.0.1"}:${port}`;

  return {
    url: ownUrl,
    port,
    requests: requests,
    stats,
    directory(directoryId) {
      const directory = directories.get(directoryId);
      if (!directory) throw new Error(`graph simulator: no directory ${directoryId}`);
      return directory;
    },
    throttleNext(count, retryAfterS = 1, status = 429) {
      throttle = { left: count, retryAfterS, status };
    },
    expireDeltaTokens() {
      rounds.clear();
      deltas.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
