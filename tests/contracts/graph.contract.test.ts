import { describe, expect, it } from "vitest";
import { createGraphClient, type BatchOutcome, type DeltaPage, type GraphClient } from "~/lake/m365/graph-client.server";
import { GraphAuthError } from "~/lake/m365/graph-errors.server";
import { createM365Mapper, eventSourceId } from "~/lake/m365/mapper";
import { startGraphSimulator } from "../sims/graph/server";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange, type DocumentedExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer, type RecordingServer } from "./support/recording-server";

/*
 * Microsoft's documented exchanges:
 * - token (client credentials with a shared secret) and its error:
 *   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow#first-case-access-token-request-with-a-shared-secret
 * - users delta (initial page with @removed, final page with the deltaLink):
 *   https://learn.microsoft.com/en-us/graph/delta-query-users
 * - contacts delta in a folder: https://learn.microsoft.com/en-us/graph/api/contact-delta?view=graph-rest-1.0
 * - calendarView delta (first page, and the next round's page with @removed):
 *   https://learn.microsoft.com/en-us/graph/delta-query-events
 * - JSON batching (the example batch and its answer):
 *   https://learn.microsoft.com/en-us/graph/json-batching
 * Graph's links in the examples name graph.microsoft.com; against a stand-in
 * they are rewritten to the stand-in's host, as the client follows only links
 * on the Graph host it is configured with.
 */
const token = loadExchange("graph", "token");
const invalidScope = loadExchange("graph", "token-invalid-scope");
const usersDelta = loadExchange("graph", "users-delta");
const usersDeltaFinal = loadExchange("graph", "users-delta-final");
const contactsDelta = loadExchange("graph", "contacts-delta");
const calendarDelta = loadExchange("graph", "calendarview-delta");
const calendarNextRound = loadExchange("graph", "calendarview-delta-next-round");
const jsonBatching = loadExchange("graph", "json-batching");

type DocumentedBatch = { requests: Array<{ id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown }> };
type DocumentedAnswers = { responses: Array<{ id: string; status: number; headers: Record<string, string>; body: Record<string, unknown> }> };

const TENANT = "a8990e1f-ff32-408a-9f8e-78d3b9139b95";
const USER = "ffff7b1a-13b6-477b-8c0c-380905cd99f7";
const documentedForm = token.request.body as Record<string, string>;

const closeAfterTest = closedAfterEach();

/** A stand-in answering the documented token, and `graph` for every Graph call (a `$batch` included). */
async function clientAgainstDocs(graph: DocumentedExchange["response"], opts: { maxPageSize?: number } = {}) {
  let server!: RecordingServer;
  server = closeAfterTest(
    await startRecordingServer((request) => {
      if (request.path.endsWith("/oauth2/v2.0/token")) return token.response;
      return { status: graph.status, body: JSON.parse(JSON.stringify(graph.body).replaceAll("https://graph.microsoft.com", server.url)) };
    }),
  );
  const client = createGraphClient({
    graphBaseUrl: server.url,
    loginBaseUrl: server.url,
    directoryId: TENANT,
    clientId: documentedForm.client_id!,
    clientSecret: documentedForm.client_secret!,
    maxPageSize: opts.maxPageSize,
    retries: 0,
  });
  return { server, client };
}

async function firstPage(client: GraphClient, url: string): Promise<DeltaPage> {
  for await (const page of client.delta(url)) return page;
  throw new Error("no page");
}

describe("Graph client against Microsoft's documented examples", () => {
  it("sends the documented token request and reads the documented answer", async () => {
    const server = closeAfterTest(await startRecordingServer(() => token.response));
    const client = createGraphClient({
      graphBaseUrl: "https://graph.microsoft.com",
      loginBaseUrl: server.url,
      directoryId: TENANT,
      clientId: documentedForm.client_id!,
      clientSecret: documentedForm.client_secret!,
    });
    expect(await client.accessToken()).toBe((token.response.body as { access_token: string }).access_token);
    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: "POST", path: token.request.path.replace("{tenant}", TENANT), query: {} });
    expect(sent!.headers["content-type"]).toBe(token.request.headers!["content-type"]);
    expect(sent!.body).toEqual(documentedForm);
  });

  it("turns the documented token error into GraphAuthError with its code", async () => {
    const server = closeAfterTest(await startRecordingServer(() => invalidScope.response));
    const client = createGraphClient({
      graphBaseUrl: "https://graph.microsoft.com",
      loginBaseUrl: server.url,
      directoryId: TENANT,
      clientId: "c",
      clientSecret: "s",
    });
    await expect(client.accessToken()).rejects.toSatisfy(
      (e) => e instanceof GraphAuthError && e.status === 400 && e.code === "invalid_scope" && /AADSTS70011/.test(e.message) && !/Trace ID/.test(e.message),
    );
  });

  it("starts a users delta round as documented and reads its page, @removed included", async () => {
    const { server, client } = await clientAgainstDocs(usersDelta.response);
    const page = await firstPage(client, client.usersDeltaUrl());

    const sent = server.requests.find((r) => r.method === "GET")!;
    expect(sent.path).toBe(usersDelta.request.path);
    expect(Object.keys(sent.query)).toEqual(["$select"]);
    const selected = sent.query.$select!.split(",");
    for (const field of usersDelta.request.query!.$select!.split(",")) expect(selected).toContain(field);
    expect(sent.headers.authorization).toBe(`Bearer ${(token.response.body as { access_token: string }).access_token}`);

    const documented = (usersDelta.response.body as { value: unknown[] }).value;
    expect(page.items).toEqual(documented);
    expect(page.items[2]).toEqual({ id: "86462606-fde0-4fc4-9e0c-a20eb73e54c6", "@removed": { reason: "deleted" } });
    expect(page.nextLink).toMatch(new RegExp(`^${server.url}/v1\\.0/users/delta\\?\\$skiptoken=oEBw`));
    expect(page.deltaLink).toBeNull();
  });

  it("ends the round at the documented page carrying the deltaLink", async () => {
    const { server, client } = await clientAgainstDocs(usersDeltaFinal.response);
    const pages: DeltaPage[] = [];
    for await (const page of client.delta(`${server.url}/v1.0/users/delta?$skiptoken=${usersDeltaFinal.request.query!.$skiptoken}`)) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.items.map((u) => u.displayName)).toEqual(["Lidia Holloway", "Patti Fernandez"]);
    expect(pages[0]!.deltaLink).toBe(
      `${server.url}/v1.0/users/delta?$deltatoken=oEcOySpF_hWYmTIUZBOIfPzcwisr_rPe8o9M54L45qEXQGmvQC6T2dbL-9O7nSU-njKhFiGlAZqewNAThmCVnNxqPu5gOBegrm1CaVZ-ZtFZ2tPOAO98OD9y0ao460`,
    );
  });

  it("asks for a folder's contacts delta with the documented Prefer header and reads the page", async () => {
    // The example is shortened; the page says "The id property is always returned".
    const body = contactsDelta.response.body as { value: Array<Record<string, unknown>> };
    const answer = {
      ...body,
      value: body.value.map((c) => ({ ...c, id: "AAMkADIxYjJiYgEzLTFmNjYALgAAA8RJzXYaLKZPlmn0ge0edZkBADa3qi2IMXRNg6RwQSHe_F8AAAIBDgAAAA==" })),
    };
    const { server, client } = await clientAgainstDocs({ status: 200, body: answer }, { maxPageSize: 2 });
    const page = await firstPage(
      client,
      client.contactsDeltaUrl(USER, "AQMkADIxYjJiYgEzLTFmNjYALgAAA8RJzXYaLKZPlmn0ge0edZkBADa3qi2IMXRNg6RwQSHe_F8AAAIBDgAAAA=="),
    );

    const sent = server.requests.find((r) => r.method === "GET")!;
    // The documented /users/{id} form of /me/contactFolders/{id}/contacts/delta.
    expect(sent.path).toBe(
      `/v1.0/users/${USER}/contactFolders/AQMkADIxYjJiYgEzLTFmNjYALgAAA8RJzXYaLKZPlmn0ge0edZkBADa3qi2IMXRNg6RwQSHe_F8AAAIBDgAAAA%3D%3D/contacts/delta`,
    );
    expect(sent.headers.prefer).toBe(contactsDelta.request.headers!.prefer);
    expect(page.items[0]).toMatchObject({ displayName: "displayName-value", parentFolderId: "parentFolderId-value" });
    expect(page.nextLink).toBe(`${server.url}/v1.0/me/contactfolders/{id}/contacts/delta?$skiptoken={_skipToken_}`);
  });

  it("starts a calendarView delta with the window as documented and maps the documented events", async () => {
    const { server, client } = await clientAgainstDocs(calendarDelta.response, { maxPageSize: 2 });
    const window = { start: calendarDelta.request.query!.startdatetime!, end: calendarDelta.request.query!.enddatetime! };
    const page = await firstPage(client, client.calendarViewDeltaUrl(USER, window));

    const sent = server.requests.find((r) => r.method === "GET")!;
    expect(sent.path).toBe(`/v1.0/users/${USER}/calendarView/delta`);
    const lowerCased = Object.fromEntries(Object.entries(sent.query).map(([k, v]) => [k.toLowerCase(), v]));
    expect(lowerCased).toEqual(calendarDelta.request.query);
    expect(sent.headers.prefer).toBe(calendarDelta.request.headers!.prefer);

    const mapper = createM365Mapper({ now: () => new Date("2016-12-10T00:00:00Z") });
    const drafts = page.items.map(
      (item) =>
        mapper.map({ entity: "events", sourceId: eventSourceId(USER, item.id), version: null, payload: item }, { payloadOf: () => undefined }).mapped[0]!.draft,
    );
    expect(drafts).toEqual([
      expect.objectContaining({ summary: "Plan shopping list", at: "2016-12-09T20:30:00.000Z", state: "done" }),
      expect.objectContaining({ summary: "Pick up car", at: "2016-12-10T01:00:00.000Z", state: "planned" }),
    ]);
  });

  it("reads the documented next round of a calendar view: a removed event and a new one", async () => {
    const { server, client } = await clientAgainstDocs(calendarNextRound.response);
    const page = await firstPage(client, `${server.url}/v1.0/users/${USER}/calendarView/delta?$deltatoken=${calendarNextRound.request.query!.$deltatoken}`);
    expect(page.items[0]).toEqual((calendarNextRound.response.body as { value: unknown[] }).value[0]);
    expect(page.deltaLink).toBe(`${server.url}/v1.0/me/calendarView/delta?$deltatoken=R0usmcFuQtZdtpk4`);
  });
});

describe("Graph client's JSON batches against Microsoft's documented example", () => {
  it("posts relative GETs under ids to $batch and reads the documented answer by id, each answer on its own", async () => {
    const answers = jsonBatching.response.body as DocumentedAnswers;
    // The documented answers, in reverse: Graph may answer in any order.
    const { server, client } = await clientAgainstDocs({ status: 200, body: { responses: [...answers.responses].reverse() } });
    const documented = (jsonBatching.request.body as DocumentedBatch).requests;
    const urls = documented.map((r) => `${server.url}/v1.0/${r.url.replace(/^\//, "")}`);
    const outcomes = await client.firstPages(urls, (i) => `request ${documented[i]!.id}`);

    const sent = server.requests.find((r) => r.path === jsonBatching.request.path)!;
    expect(sent.method).toBe("POST");
    expect(sent.headers["content-type"]).toBe(jsonBatching.request.headers!["content-type"]);
    const requests = (sent.body as DocumentedBatch).requests;
    expect(requests.map((r) => r.id)).toEqual(documented.map((r) => r.id));
    expect(requests.every((r) => r.method === "GET" && r.url.startsWith("/") && !r.url.startsWith("/v1.0"))).toBe(true);
    expect(requests[0]!.url).toBe("/me/memberOf");
    expect(shapeMismatches(sent.body, { requests: [{ id: "1", method: "GET", url: "/me/memberOf" }] })).toEqual([]);

    // 1 pages on to Microsoft's beta endpoint in the example: a link the client does not follow.
    expect(outcomes[0]).toSatisfy((o: BatchOutcome<DeltaPage>) => !o.ok && /not the Graph host; not followed/.test(o.error.message));
    expect(outcomes.slice(1, 4).map((o) => (o.ok ? null : [o.error.status, o.error.code]))).toEqual([
      [403, ""],
      [403, "Authorization_RequestDenied"],
      [405, "Request_BadRequest"],
    ]);
    expect(outcomes[4]).toEqual({ ok: true, value: { items: answers.responses[4]!.body.value, nextLink: null, deltaLink: null } });
  });
});

describe("Graph simulator against Microsoft's documented examples", () => {
  const directory = {
    directoryId: TENANT,
    domain: "contoso.onmicrosoft.com",
    clientId: documentedForm.client_id!,
    clientSecret: documentedForm.client_secret!,
  };

  async function simulator(today = new Date("2026-12-04T00:00:00Z")) {
    return closeAfterTest(await startGraphSimulator({ directories: [directory], demo: { seed: 3, today } }));
  }

  async function call(url: string, headers: Record<string, string>) {
    const res = await fetch(url, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function bearer(sim: { url: string }) {
    const res = await fetch(`${sim.url}${token.request.path.replace("{tenant}", TENANT)}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(documentedForm).toString(),
    });
    return { status: res.status, body: (await res.json()) as { access_token: string } };
  }

  it("answers the documented token request in the documented shape", async () => {
    const sim = await simulator();
    const res = await bearer(sim);
    expect(res.status).toBe(200);
    expect(shapeMismatches(res.body, token.response.body)).toEqual([]);
  });

  it("refuses the documented invalid scope with the documented error body", async () => {
    const sim = await simulator();
    const res = await fetch(`${sim.url}${invalidScope.request.path.replace("{tenant}", TENANT)}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(invalidScope.request.body as Record<string, string>).toString(),
    });
    expect(res.status).toBe(invalidScope.response.status);
    expect(shapeMismatches(await res.json(), invalidScope.response.body)).toEqual([]);
  });

  it("pages the documented users delta request, first and final pages in the documented shapes", async () => {
    const sim = await simulator();
    const headers = { authorization: `Bearer ${(await bearer(sim)).body.access_token}`, prefer: "odata.maxpagesize=5" };
    const first = await call(`${sim.url}/v1.0/users/delta?$select=${usersDelta.request.query!.$select}`, headers);
    expect(first.status).toBe(200);
    expect(shapeMismatches(first.body, usersDelta.response.body)).toEqual([]);
    let last = first;
    while (last.body["@odata.nextLink"]) last = await call(last.body["@odata.nextLink"] as string, headers);
    expect(shapeMismatches(last.body, usersDeltaFinal.response.body)).toEqual([]);
  });

  it("answers a folder's contacts delta in the documented shape", async () => {
    const sim = await simulator();
    const headers = { authorization: `Bearer ${(await bearer(sim)).body.access_token}`, ...contactsDelta.request.headers };
    const user = [...sim.directory(TENANT).users.values()].find((u) => u.item.hasMailbox)!.item;
    const folder = sim.directory(TENANT).defaultFolder(user.id);
    // The example's body shows more fields than its request selects: select them all.
    const select = Object.keys((contactsDelta.response.body as { value: Array<Record<string, unknown>> }).value[0]!).join(",");
    const res = await call(`${sim.url}/v1.0/users/${user.id}/contactFolders/${encodeURIComponent(folder.id)}/contacts/delta?$select=${select}`, headers);
    expect(res.status).toBe(200);
    expect(shapeMismatches(res.body, contactsDelta.response.body)).toEqual([]);
  });

  it("answers the documented calendarView delta request, and the next round with @removed, in the documented shapes", async () => {
    const sim = await simulator(new Date("2016-12-15T00:00:00Z"));
    const graph = sim.directory(TENANT);
    const headers = { authorization: `Bearer ${(await bearer(sim)).body.access_token}`, ...calendarDelta.request.headers };
    const { startdatetime, enddatetime } = calendarDelta.request.query!;
    const inWindow = (owner: string) =>
      [...graph.events.values()].filter((e) => e.owner === owner && e.item.start < enddatetime! && e.item.end > startdatetime!).length;
    const user = [...graph.users.values()].filter((u) => u.item.hasMailbox).sort((a, b) => inWindow(b.item.id) - inWindow(a.item.id))[0]!.item;
    expect(inWindow(user.id)).toBeGreaterThan(2);

    const first = await call(`${sim.url}/v1.0/users/${user.id}/calendarView/delta?startdatetime=${startdatetime}&enddatetime=${enddatetime}`, headers);
    expect(first.status).toBe(200);
    expect(shapeMismatches(first.body, calendarDelta.response.body)).toEqual([]);
    let last = first;
    while (last.body["@odata.nextLink"]) last = await call(last.body["@odata.nextLink"] as string, headers);

    graph.deleteEvent((first.body.value as Array<{ id: string }>)[0]!.id);
    const next = await call(last.body["@odata.deltaLink"] as string, headers);
    expect(shapeMismatches(next.body, calendarNextRound.response.body)).toEqual([]);
  });

  it("answers Microsoft's example batch, its URLs pointed at what the simulator holds, in the documented shape", async () => {
    // Calendars.Read withheld, so a mailbox read is refused as the example's planner tasks are.
    const sim = closeAfterTest(
      await startGraphSimulator({
        directories: [{ ...directory, roles: ["User.Read.All", "Contacts.Read"] }],
        demo: { seed: 3, today: new Date("2026-12-04T00:00:00Z") },
      }),
    );
    const user = [...sim.directory(TENANT).users.values()].find((u) => u.item.hasMailbox)!.item.id;
    // The example's delegated /me paths, its group and its user become a user of this directory; request 5 is sent as written.
    const adapted: Record<string, string> = {
      "1": "/users?$top=1",
      "2": `/users/${user}/calendarView?startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z`,
      "3": `/users/${user}`,
      "4": `/users/${user}/getPasswordSingleSignOnCredentials`,
    };
    const documented = jsonBatching.request.body as DocumentedBatch;
    const body = { requests: documented.requests.map((r) => ({ ...r, url: adapted[r.id] ?? r.url })) };
    const res = await fetch(`${sim.url}${jsonBatching.request.path}`, {
      method: "POST",
      headers: { ...jsonBatching.request.headers, authorization: `Bearer ${(await bearer(sim)).body.access_token}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(jsonBatching.response.status);
    const answers = (await res.json()) as DocumentedAnswers;
    const expected = (jsonBatching.response.body as DocumentedAnswers).responses;
    expect(answers.responses.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id));
    for (const want of expected) {
      const got = answers.responses.find((r) => r.id === want.id)!;
      expect(got.status, `request ${want.id}`).toBe(want.status);
      expect(Object.keys(got.headers), `request ${want.id}`).toEqual(expect.arrayContaining(["Cache-Control", "Content-Type"]));
      // The adapted requests read other entities than the example's: their items differ, the envelope does not.
      const documentedBody = want.id === "5" ? want.body : "value" in want.body ? { ...want.body, value: [] } : want.body;
      expect(shapeMismatches(got.body, documentedBody), `request ${want.id}`).toEqual([]);
    }
  });

  it("refuses a batch of more than 20 requests, or with an id twice, as a whole", async () => {
    const sim = await simulator();
    const send = async (requests: unknown[]) => {
      const res = await fetch(`${sim.url}/v1.0/$batch`, {
        method: "POST",
        headers: { ...jsonBatching.request.headers, authorization: `Bearer ${(await bearer(sim)).body.access_token}` },
        body: JSON.stringify({ requests }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const get = (id: string) => ({ id, method: "GET", url: "/users?$top=1" });
    expect((await send(Array.from({ length: 20 }, (_, i) => get(String(i + 1))))).status).toBe(200);
    const tooMany = await send(Array.from({ length: 21 }, (_, i) => get(String(i + 1))));
    expect(tooMany.status).toBe(400);
    expect(shapeMismatches(tooMany.body, (jsonBatching.response.body as DocumentedAnswers).responses[2]!.body)).toEqual([]);
    expect(tooMany.body).toMatchObject({ error: { code: "BadRequest" } });
    expect((await send([get("1"), get("1")])).status).toBe(400);
  });
});
