import { z } from "zod";
import { parseRetryAfter, type FetchLike } from "~/vendors/http.server";
import { exponentialDelayMs, withRetries } from "~/vendors/retry.server";
import { GraphAuthError, GraphError, GraphTransientError, graphErrorFor } from "./graph-errors.server";
import { batchRelativeUrl, batchUrl, graphUrl, isGraphLink, segment, tokenUrl } from "./graph-urls";

/**
 * Microsoft Graph v1.0 with application permissions, for the data lake: an
 * app-only token from the Microsoft identity platform's client-credentials
 * grant (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow),
 * kept until shortly before it expires, and delta rounds that follow
 * `@odata.nextLink` until `@odata.deltaLink`
 * (https://learn.microsoft.com/en-us/graph/delta-query-overview). Throttling
 * (429) and brief outages (503/504) are waited out as `Retry-After` asks
 * (https://learn.microsoft.com/en-us/graph/throttling); a dead delta link is a
 * GraphSyncReset for the caller to start the round again.
 *
 * The first pages of many collections (each mailbox's folders and delta
 * rounds) go out as JSON batches of at most 20 GETs
 * (https://learn.microsoft.com/en-us/graph/json-batching): each answer in a
 * batch stands on its own, so a throttled one is sent again alone after its
 * Retry-After and a failed one fails only its own collection.
 */

export type GraphCredentials = { directoryId: string; clientId: string; clientSecret: string };

export type GraphClientConfig = GraphCredentials & {
  graphBaseUrl: string;
  loginBaseUrl: string;
  /** Items per page asked for with `Prefer: odata.maxpagesize`. */
  maxPageSize?: number;
  timeoutMs?: number;
  /** Repeats of a throttled or unavailable request before the failure is the caller's. */
  retries?: number;
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

/** One item of a Graph collection: an id, and `@removed` when a delta round reports it gone. */
export type GraphItem = { id: string; "@removed"?: { reason?: string } } & Record<string, unknown>;

export type DeltaPage = { items: GraphItem[]; nextLink: string | null; deltaLink: string | null };

/** One request's answer out of a batch: its body, or the error it alone ended in. */
export type BatchOutcome<T> = { ok: true; value: T } | { ok: false; error: GraphError };

/** A mailbox's contact folders: the default Contacts folder (when it holds anything) first, then the folders under it. */
export type MailboxFolders = { defaultFolderId: string | null; folderIds: string[] };

/** The calendar view a delta round tracks; Graph encodes it into the round's links. */
export type CalendarWindow = { start: string; end: string };

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive(), token_type: z.string() });
const tokenRefusal = z.object({ error: z.string(), error_description: z.string().optional() });
const collection = z.object({
  value: z.array(z.looseObject({ id: z.string().min(1) })),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

const batchAnswer = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

/** Graph takes at most this many requests in one JSON batch. */
export const BATCH_LIMIT = 20;

/** A token is renewed this long before Graph would refuse it, so a request never starts with one about to lapse. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** The user properties the lake tracks; only changes to these show up in the users' delta. */
export const USER_FIELDS = ["id", "displayName", "givenName", "surname", "mail", "userPrincipalName", "jobTitle", "department", "accountEnabled"];

export type GraphClient = ReturnType<typeof createGraphClient>;

export function createGraphClient(config: GraphClientConfig) {
  const doFetch = config.fetch ?? fetch;
  const now = config.now ?? Date.now;
  const timeoutMs = config.timeoutMs ?? 60_000;
  const maxPageSize = config.maxPageSize ?? 200;
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const retryPolicy = {
    retries: config.retries ?? 5,
    shouldRetry: (error: unknown) => error instanceof GraphTransientError,
    // Graph's Retry-After is the wait it asks for; without one, doubling from 2 s with jitter.
    delayMs: (error: unknown, attempt: number) =>
      Math.min((error as GraphTransientError).retryAfterMs ?? exponentialDelayMs(2_000, attempt, { jitter: true }), 300_000),
    sleep,
  };

  async function send(url: string, init: RequestInit, what: string): Promise<{ status: number; headers: Headers; body: unknown }> {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw new GraphTransientError(`${what}: no answer from ${new URL(url).origin} (${(error as Error).message})`, { cause: error });
    }
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body };
  }

  async function requestToken(): Promise<string> {
    const form = new URLSearchParams({
      client_id: config.clientId,
      client_secret: config.clientSecret,
      scope: `${new URL(config.graphBaseUrl).origin}/.default`,
      grant_type: "client_credentials",
    });
    const started = now();
    const res = await withRetries(async () => {
      const answer = await send(
        tokenUrl(config.loginBaseUrl, config.directoryId),
        { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body: form.toString() },
        "token",
      );
      if (answer.status === 429 || answer.status >= 500) {
        throw new GraphTransientError(`token: HTTP ${answer.status}`, { status: answer.status, retryAfterMs: parseRetryAfter(answer.headers, now()) });
      }
      return answer;
    }, retryPolicy);
    if (res.status !== 200) {
      const refusal = tokenRefusal.safeParse(res.body);
      const reason = refusal.success ? `${refusal.data.error}: ${(refusal.data.error_description ?? "").split("\r\n")[0]}` : `HTTP ${res.status}`;
      throw new GraphAuthError(`the identity platform refused the app for directory ${config.directoryId} (${reason})`, {
        status: res.status,
        code: refusal.success ? refusal.data.error : undefined,
      });
    }
    const parsed = tokenAnswer.safeParse(res.body);
    if (!parsed.success) throw new GraphAuthError(`unexpected token answer: ${parsed.error.message.slice(0, 200)}`, { status: res.status });
    cached = { token: parsed.data.access_token, renewAt: started + Math.max(0, parsed.data.expires_in * 1000 - TOKEN_MARGIN_MS) };
    return parsed.data.access_token;
  }

  /** The cached app-only token, or a new one; concurrent callers share one token request. */
  async function accessToken(): Promise<string> {
    if (cached && now() < cached.renewAt) return cached.token;
    pending ??= requestToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  async function getJson(url: string, what: string): Promise<unknown> {
    if (!isGraphLink(url, config.graphBaseUrl)) throw new GraphError(`${what}: refusing to call ${safeOrigin(url)}, which is not the Graph host`);
    return withRetries(async () => {
      const headers = (token: string) => ({ authorization: `Bearer ${token}`, accept: "application/json", prefer: `odata.maxpagesize=${maxPageSize}` });
      let token = await accessToken();
      let res = await send(url, { method: "GET", headers: headers(token) }, what);
      if (res.status === 401 && cached?.token === token) {
        // The token was revoked or lapsed early: one fresh token, then the answer stands.
        cached = undefined;
        token = await accessToken();
        res = await send(url, { method: "GET", headers: headers(token) }, what);
      }
      if (res.status >= 200 && res.status < 300) return res.body;
      throw graphErrorFor(res.status, res.body, parseRetryAfter(res.headers, now()), what);
    }, retryPolicy);
  }

  /** One POST to `$batch`; the batch as a whole is retried like any request, its answers are read by the caller. */
  async function postBatch(requests: Array<{ id: string; url: string }>): Promise<Map<string, z.infer<typeof batchAnswer>["responses"][number]>> {
    const body = JSON.stringify({
      requests: requests.map((r) => ({
        id: r.id,
        method: "GET",
        url: batchRelativeUrl(r.url, config.graphBaseUrl),
        headers: { Prefer: `odata.maxpagesize=${maxPageSize}` },
      })),
    });
    const answer = await withRetries(async () => {
      const headers = (token: string) => ({ authorization: `Bearer ${token}`, accept: "application/json", "content-type": "application/json" });
      let token = await accessToken();
      let res = await send(batchUrl(config.graphBaseUrl), { method: "POST", headers: headers(token), body }, "batch");
      if (res.status === 401 && cached?.token === token) {
        cached = undefined;
        token = await accessToken();
        res = await send(batchUrl(config.graphBaseUrl), { method: "POST", headers: headers(token), body }, "batch");
      }
      if (res.status >= 200 && res.status < 300) return res.body;
      throw graphErrorFor(res.status, res.body, parseRetryAfter(res.headers, now()), "batch");
    }, retryPolicy);
    const parsed = batchAnswer.safeParse(answer);
    if (!parsed.success) throw new GraphError(`batch: unexpected answer: ${parsed.error.message.slice(0, 300)}`);
    // Ids are not case-sensitive, and the answers may come in any order.
    return new Map(parsed.data.responses.map((r) => [r.id.toLowerCase(), r]));
  }

  /**
   * GETs of several URLs on the Graph host as JSON batches of at most
   * BATCH_LIMIT, each answer in the order asked. A request throttled (429) or
   * turned away (503/504) is sent again, alone with the others that were,
   * after the longest Retry-After among them; after `retries` rounds, or on
   * any other error, that request's outcome is its error.
   */
  async function getBatched(urls: string[], what: (index: number) => string): Promise<Array<BatchOutcome<unknown>>> {
    const outcomes: Array<BatchOutcome<unknown>> = new Array(urls.length);
    urls.forEach((url, i) => {
      if (!isGraphLink(url, config.graphBaseUrl)) {
        outcomes[i] = { ok: false, error: new GraphError(`${what(i)}: refusing to call ${safeOrigin(url)}, which is not the Graph host`) };
      }
    });
    const sendable = urls.map((_, i) => i).filter((i) => !outcomes[i]);
    for (let from = 0; from < sendable.length; from += BATCH_LIMIT) {
      let pending = sendable.slice(from, from + BATCH_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const answers = await postBatch(pending.map((i, n) => ({ id: String(n + 1), url: urls[i]! })));
        const again: number[] = [];
        let waitMs = 0;
        pending.forEach((i, n) => {
          const answer = answers.get(String(n + 1));
          if (!answer) {
            outcomes[i] = { ok: false, error: new GraphError(`${what(i)}: the batch answer holds no response for request ${n + 1}`) };
          } else if (answer.status >= 200 && answer.status < 300) {
            outcomes[i] = { ok: true, value: answer.body };
          } else {
            const error = graphErrorFor(answer.status, answer.body, parseRetryAfter(new Headers(answer.headers ?? {}), now()), what(i));
            if (error instanceof GraphTransientError && attempt < retryPolicy.retries) {
              again.push(i);
              waitMs = Math.max(waitMs, retryPolicy.delayMs(error, attempt));
            } else {
              outcomes[i] = { ok: false, error };
            }
          }
        });
        if (again.length > 0) await sleep(waitMs);
        pending = again;
      }
    }
    return outcomes;
  }

  function readPage(body: unknown, what: string): DeltaPage {
    const parsed = collection.safeParse(body);
    if (!parsed.success) throw new GraphError(`${what}: unexpected collection body: ${parsed.error.message.slice(0, 300)}`);
    const nextLink = parsed.data["@odata.nextLink"] ?? null;
    const deltaLink = parsed.data["@odata.deltaLink"] ?? null;
    for (const link of [nextLink, deltaLink]) {
      if (link !== null && !isGraphLink(link, config.graphBaseUrl)) {
        throw new GraphError(`${what}: Graph sent a paging link to ${safeOrigin(link)}, which is not the Graph host; not followed`);
      }
    }
    return { items: parsed.data.value as GraphItem[], nextLink, deltaLink };
  }

  const page = async (url: string, what: string) => readPage(await getJson(url, what), what);

  /** The first pages of several collections, by JSON batches; each page read and checked as a single GET's would be. */
  async function firstPages(urls: string[], what: (index: number) => string): Promise<Array<BatchOutcome<DeltaPage>>> {
    const answers = await getBatched(urls, what);
    return answers.map((answer, i) => {
      if (!answer.ok) return answer;
      try {
        return { ok: true, value: readPage(answer.value, what(i)) };
      } catch (error) {
        if (error instanceof GraphError) return { ok: false, error };
        throw error;
      }
    });
  }

  /** Every item of a plain (non-delta) collection, from its first page on, following `@odata.nextLink`. */
  async function listAll(first: string | DeltaPage, what: string): Promise<GraphItem[]> {
    const start = typeof first === "string" ? await page(first, what) : first;
    const items = [...start.items];
    for (let next = start.nextLink; next;) {
      const answer = await page(next, what);
      items.push(...answer.items);
      next = answer.nextLink;
    }
    return items;
  }

  const contactsUrl = (userId: string) => graphUrl(config.graphBaseUrl, `users/${segment(userId)}/contacts`, { $top: "1", $select: "parentFolderId" });
  const contactFoldersUrl = (userId: string) =>
    graphUrl(config.graphBaseUrl, `users/${segment(userId)}/contactFolders`, { $select: "id,displayName,parentFolderId" });

  return {
    accessToken,

    /** Whether a stored link may still be followed: it must be on the Graph host configured now. */
    followable: (link: string) => isGraphLink(link, config.graphBaseUrl),

    /**
     * The pages of one delta round, from a first URL (no token: a full
     * round), a stored link, or a first page already fetched (in a batch),
     * until the page that carries the deltaLink.
     */
    async *delta(start: string | DeltaPage): AsyncGenerator<DeltaPage> {
      for (let next: string | DeltaPage | null = start; next;) {
        const answer: DeltaPage = typeof next === "string" ? await page(next, "delta") : next;
        if (!answer.nextLink && !answer.deltaLink) throw new GraphError("delta: a page with neither @odata.nextLink nor @odata.deltaLink");
        yield answer;
        next = answer.nextLink;
      }
    },

    firstPages,

    usersDeltaUrl: () => graphUrl(config.graphBaseUrl, "users/delta", { $select: USER_FIELDS.join(",") }),

    contactsDeltaUrl: (userId: string, folderId: string) =>
      graphUrl(config.graphBaseUrl, `users/${segment(userId)}/contactFolders/${segment(folderId)}/contacts/delta`),

    /** calendarView delta takes no `$select`; events come in UTC unless a time zone is preferred. */
    calendarViewDeltaUrl: (userId: string, window: CalendarWindow) =>
      graphUrl(config.graphBaseUrl, `users/${segment(userId)}/calendarView/delta`, { startDateTime: window.start, endDateTime: window.end }),

    /** The directory's users (ids, mail, and whether they may sign in), whose mailboxes the contacts and events are read from. */
    listUsers: () => listAll(graphUrl(config.graphBaseUrl, "users", { $select: "id,mail,userPrincipalName,accountEnabled" }), "users"),

    /**
     * The contact folders of several mailboxes, read by JSON batches: for
     * each, the folders under the default Contacts folder, and the default
     * folder itself, which `contactFolders` leaves out: the `parentFolderId`
     * of a contact listed by `/contacts` (the default folder's), as Graph's
     * known-issues page advises
     * (https://learn.microsoft.com/en-us/graph/known-issues#contacts), null
     * while that folder is empty. A mailbox that cannot be read has its error instead.
     */
    async mailboxFolders(userIds: string[]): Promise<Array<BatchOutcome<MailboxFolders>>> {
      const urls = userIds.flatMap((userId) => [contactsUrl(userId), contactFoldersUrl(userId)]);
      const pages = await firstPages(urls, (i) => `${i % 2 === 0 ? "contacts" : "contactFolders"} of user ${userIds[Math.floor(i / 2)]}`);
      const outcomes: Array<BatchOutcome<MailboxFolders>> = [];
      for (let n = 0; n < userIds.length; n++) {
        const [contacts, folders] = [pages[2 * n]!, pages[2 * n + 1]!];
        if (!contacts.ok) outcomes.push(contacts);
        else if (!folders.ok) outcomes.push(folders);
        else {
          const listed = await listAll(folders.value, "contactFolders");
          outcomes.push({ ok: true, value: { defaultFolderId: defaultFolderOf(contacts.value), folderIds: listed.map((f) => f.id) } });
        }
      }
      return outcomes;
    },

    /** One item or page of anything under the Graph base, for the connection check. */
    probe: (path: string, query: Record<string, string> = {}) => getJson(graphUrl(config.graphBaseUrl, path, query), path),
  };
}

function defaultFolderOf(contacts: DeltaPage): string | null {
  const folderId = contacts.items[0]?.parentFolderId;
  return typeof folderId === "string" && folderId ? folderId : null;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an unreadable URL";
  }
}
