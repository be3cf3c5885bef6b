import { afterEach, describe, expect, it } from "vitest";
import { createGraphClient, type BatchOutcome, type DeltaPage, type GraphClient, type GraphClientConfig } from "~/lake/m365/graph-client.server";
import { GraphAuthError, GraphError, GraphSyncReset, GraphTransientError } from "~/lake/m365/graph-errors.server";
import { startGraphSimulator, type GraphSim, type GraphSimOptions } from "../../sims/graph/server";

const DIRECTORY = { directoryId: "6d3f2a10-7c1e-4b52-9a0f-1e2d3c4b5a69", domain: "acme.onmicrosoft.com", clientId: "lake-app", clientSecret: "s3cret" };
const TODAY = new Date("2026-12-04T12:00:00Z");

let sims: GraphSim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function simulator(options: Partial<GraphSimOptions> = {}) {
  const sim = await startGraphSimulator({ directories: [DIRECTORY], demo: { seed: 7, today: TODAY }, ...options });
  sims.push(sim);
  return sim;
}

function clientFor(sim: GraphSim, extra: Partial<GraphClientConfig> = {}) {
  const waits: number[] = [];
  const client = createGraphClient({
    graphBaseUrl: sim.url,
    loginBaseUrl: sim.url,
    directoryId: DIRECTORY.directoryId,
    clientId: DIRECTORY.clientId,
    clientSecret: DIRECTORY.clientSecret,
    maxPageSize: 5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  });
  return { client, waits };
}

async function drain(pages: AsyncIterable<DeltaPage>) {
  const all: DeltaPage[] = [];
  for await (const page of pages) all.push(page);
  return { pages: all, items: all.flatMap((p) => p.items), deltaLink: all.at(-1)!.deltaLink! };
}

describe("Graph client against the simulator", () => {
  it("gets one app-only token and reuses it until shortly before it expires", async () => {
    const sim = await simulator();
    let now = Date.now();
    const { client } = clientFor(sim, { now: () => now });
    await client.probe("users", { $top: "1" });
    await client.probe("users", { $top: "1" });
    await Promise.all([client.accessToken(), client.accessToken()]);
    expect(sim.stats.tokenRequests).toBe(1);
    now += 3599_000 - 4 * 60_000;
    await client.probe("users", { $top: "1" });
    expect(sim.stats.tokenRequests).toBe(2);
  });

  it("turns a refused secret into GraphAuthError with the identity platform's code", async () => {
    const sim = await simulator();
    const { client } = clientFor(sim, { clientSecret: "wrong" });
    await expect(client.probe("users")).rejects.toSatisfy((e) => e instanceof GraphAuthError && e.code === "invalid_client" && /AADSTS7000215/.test(e.message));
  });

  it("pages a users delta round with nextLinks until the deltaLink, tracking the selected fields", async () => {
    const sim = await simulator();
    const { client } = clientFor(sim);
    const round = await drain(client.delta(client.usersDeltaUrl()));
    expect(round.pages).toHaveLength(3);
    expect(round.pages.slice(0, -1).every((p) => p.nextLink && !p.deltaLink)).toBe(true);
    expect(round.items).toHaveLength(12);
    expect(Object.keys(round.items[0]!).sort()).toEqual([
      "accountEnabled",
      "department",
      "displayName",
      "givenName",
      "id",
      "jobTitle",
      "mail",
      "surname",
      "userPrincipalName",
    ]);
    const sent = sim.requests.filter((r) => r.path === "/v1.0/users/delta");
    expect(sent[0]!.query.$select).toBe("id,displayName,givenName,surname,mail,userPrincipalName,jobTitle,department,accountEnabled");
    expect(sent.slice(1).every((r) => r.query.$skiptoken && !r.query.$select)).toBe(true);
  });

  it("reports only what changed on the next round, deletions as @removed", async () => {
    const sim = await simulator();
    const directory = sim.directory(DIRECTORY.directoryId);
    const { client } = clientFor(sim);
    const first = await drain(client.delta(client.usersDeltaUrl()));
    const [kept, gone] = first.items;
    directory.updateUser(kept!.id, { jobTitle: "Head of Sales" });
    directory.deleteUser(gone!.id);
    const added = directory.addUser({ displayName: "Nur Aisyah" });

    const second = await drain(client.delta(first.deltaLink));
    expect(second.items).toEqual([
      expect.objectContaining({ id: kept!.id, jobTitle: "Head of Sales" }),
      { id: gone!.id, "@removed": { reason: "changed" } },
      expect.objectContaining({ id: added.id, displayName: "Nur Aisyah" }),
    ]);
    const third = await drain(client.delta(second.deltaLink));
    expect(third.items).toEqual([]);
  });

  it("finds the default Contacts folder, which contactFolders leaves out, and tracks each folder's contacts", async () => {
    const sim = await simulator();
    const directory = sim.directory(DIRECTORY.directoryId);
    const { client } = clientFor(sim);
    const [user] = (await client.listUsers()).filter((u) => directory.users.get(u.id)!.item.hasMailbox);
    const [folders] = await client.mailboxFolders([user!.id]);
    const clients = [...directory.folders.values()].find((f) => f.userId === user!.id && f.displayName === "Clients")!;
    expect(folders).toEqual({ ok: true, value: { defaultFolderId: directory.defaultFolder(user!.id).id, folderIds: [clients.id] } });
    const defaultFolder = folders?.ok ? folders.value.defaultFolderId : null;

    const inDefault = await drain(client.delta(client.contactsDeltaUrl(user!.id, defaultFolder!)));
    const expected = [...directory.contacts.values()].filter((c) => c.owner === user!.id && c.item.parentFolderId === defaultFolder);
    expect(inDefault.items.map((c) => c.id).sort()).toEqual(expected.map((c) => c.item.id).sort());

    directory.deleteContact(expected[0]!.item.id);
    const changes = await drain(client.delta(inDefault.deltaLink));
    expect(changes.items).toEqual([{ id: expected[0]!.item.id, "@removed": { reason: "deleted" } }]);
  });

  it("tracks a calendar view: an event moved out of the window comes back @removed", async () => {
    const sim = await simulator();
    const directory = sim.directory(DIRECTORY.directoryId);
    const { client } = clientFor(sim);
    const user = [...directory.users.values()].find((u) => u.item.hasMailbox)!.item;
    const window = { start: "2026-10-01T00:00:00Z", end: "2027-01-31T00:00:00Z" };
    const first = await drain(client.delta(client.calendarViewDeltaUrl(user.id, window)));
    expect(first.items.length).toBeGreaterThan(0);
    expect(first.items[0]).toMatchObject({ "@odata.type": "#microsoft.graph.event", start: { timeZone: "UTC" } });

    const moved = first.items[0]!;
    directory.updateEvent(moved.id, { start: "2027-06-01T09:00:00.000Z", end: "2027-06-01T10:00:00.000Z" });
    const added = directory.addEvent(user.id, { subject: "Demo", start: "2026-12-08T02:00:00.000Z", end: "2026-12-08T03:00:00.000Z" });
    const second = await drain(client.delta(first.deltaLink));
    expect(second.items).toEqual([
      { "@odata.type": "#microsoft.graph.event", id: moved.id, "@removed": { reason: "deleted" } },
      expect.objectContaining({ id: added.id, subject: "Demo" }),
    ]);
  });

  it("raises GraphSyncReset for a delta link Graph no longer knows (410 syncStateNotFound)", async () => {
    const sim = await simulator();
    const { client } = clientFor(sim);
    const first = await drain(client.delta(client.usersDeltaUrl()));
    sim.expireDeltaTokens();
    await expect(drain(client.delta(first.deltaLink))).rejects.toSatisfy((e) => e instanceof GraphSyncReset && e.status === 410);
  });

  it("waits out 429 as Retry-After asks, then carries on", async () => {
    const sim = await simulator();
    const { client, waits } = clientFor(sim);
    sim.throttleNext(2, 3);
    const round = await drain(client.delta(client.usersDeltaUrl()));
    expect(round.items).toHaveLength(12);
    expect(waits).toEqual([3000, 3000]);
    expect(sim.stats.throttled).toBe(2);
  });

  it("waits out 503 and 504 as well, as long as Retry-After says", async () => {
    const sim = await simulator();
    const { client, waits } = clientFor(sim);
    sim.throttleNext(1, 2, 503);
    await client.probe("users", { $top: "1" });
    sim.throttleNext(1, 4, 504);
    await client.probe("users", { $top: "1" });
    expect(waits).toEqual([2000, 4000]);
  });

  it("gives up after its retries with the throttling error", async () => {
    const sim = await simulator();
    const { client, waits } = clientFor(sim, { retries: 2 });
    sim.throttleNext(5, 1);
    await expect(client.probe("users")).rejects.toSatisfy((e) => e instanceof GraphTransientError && e.status === 429);
    expect(waits).toEqual([1000, 1000]);
  });

  it("refuses a nextLink off the Graph host, so the token never leaves it", async () => {
    const sim = await simulator({ linkBaseUrl: "http://127.0.0.2:9" });
    const called: string[] = [];
    const { client } = clientFor(sim, {
      fetch: (input, init) => {
        called.push(String(input));
        return fetch(input, init);
      },
    });
    await expect(drain(client.delta(client.usersDeltaUrl()))).rejects.toSatisfy(
      (e) => e instanceof GraphError && /not the Graph host; not followed/.test(e.message) && /127\.0\.0\.2/.test(e.message),
    );
    expect(called.every((url) => url.startsWith(sim.url))).toBe(true);
  });

  it("answers 404 for a user without a mailbox", async () => {
    const sim = await simulator();
    const directory = sim.directory(DIRECTORY.directoryId);
    const { client } = clientFor(sim);
    const noMailbox = [...directory.users.values()].find((u) => !u.item.hasMailbox)!.item;
    const [outcome] = await client.mailboxFolders([noMailbox.id]);
    expect(outcome).toSatisfy((o: BatchOutcome<unknown>) => !o.ok && o.error.status === 404 && o.error.code === "MailboxNotEnabledForRESTAPI");
  });
});

describe("Graph client's JSON batches against the simulator", () => {
  /** The first page of every mailbox collection the demo directory has: each default folder's contacts and each calendar view. */
  function collectionUrls(sim: GraphSim, client: GraphClient) {
    const directory = sim.directory(DIRECTORY.directoryId);
    const mailboxes = [...directory.users.values()].filter((u) => u.item.hasMailbox).map((u) => u.item.id);
    const window = { start: "2026-10-01T00:00:00Z", end: "2027-01-31T00:00:00Z" };
    return mailboxes.flatMap((id) => [client.contactsDeltaUrl(id, directory.defaultFolder(id).id), client.calendarViewDeltaUrl(id, window)]);
  }

  const batchPosts = (sim: GraphSim) => sim.requests.filter((r) => r.method === "POST" && r.path === "/v1.0/$batch");

  it("sends first pages as batches of at most 20 and reads each answer, in any order, as a single GET would", async () => {
    const sim = await simulator();
    const { client } = clientFor(sim);
    const urls = collectionUrls(sim, client);
    expect(urls.length).toBeGreaterThan(20);

    const outcomes = await client.firstPages(urls, (i) => `collection ${i}`);
    expect(batchPosts(sim)).toHaveLength(Math.ceil(urls.length / 20));
    expect(sim.requests.filter((r) => r.inBatch)).toHaveLength(urls.length);
    expect(sim.requests.filter((r) => r.method === "GET" && !r.inBatch)).toEqual([]);
    for (const [i, url] of urls.entries()) {
      const alone = await drain(client.delta(url));
      const batched = outcomes[i]!.ok ? await drain(client.delta(outcomes[i]!.value)) : undefined;
      expect(batched?.items.map((item) => item.id)).toEqual(alone.items.map((item) => item.id));
    }
  });

  it("sends a throttled request again alone, after its Retry-After, while the others stand", async () => {
    const sim = await simulator();
    const { client, waits } = clientFor(sim);
    const urls = collectionUrls(sim, client).slice(0, 3);
    sim.throttleNext(1, 7);
    const outcomes = await client.firstPages(urls, (i) => `collection ${i}`);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(waits).toEqual([7000]);
    expect(batchPosts(sim)).toHaveLength(2);
    const sent = sim.requests.filter((r) => r.inBatch);
    expect(sent.map((r) => r.status)).toEqual([429, 200, 200, 200]);
    expect(sent[3]!.path).toBe(sent[0]!.path);
  });

  it("gives a request throttled past its retries, an expired link or a missing mailbox its own error, with the request named", async () => {
    const sim = await simulator();
    const directory = sim.directory(DIRECTORY.directoryId);
    const { client } = clientFor(sim, { retries: 1 });
    const [working] = collectionUrls(sim, client);
    const noMailbox = [...directory.users.values()].find((u) => !u.item.hasMailbox)!.item;
    const urls = [
      working!,
      `${sim.url}/v1.0/users/delta?$deltatoken=never-issued`,
      client.calendarViewDeltaUrl(noMailbox.id, { start: "2026-10-01T00:00:00Z", end: "2027-01-31T00:00:00Z" }),
    ];
    const names = ["contacts", "users", "calendar of the user without a mailbox"];
    const outcomes = await client.firstPages(urls, (i) => names[i]!);
    expect(outcomes[0]).toMatchObject({ ok: true });
    expect(outcomes[1]).toSatisfy((o: BatchOutcome<unknown>) => !o.ok && o.error instanceof GraphSyncReset && o.error.status === 410);
    expect(outcomes[2]).toSatisfy(
      (o: BatchOutcome<unknown>) =>
        !o.ok && o.error.status === 404 && /^calendar of the user without a mailbox: HTTP 404 MailboxNotEnabledForRESTAPI/.test(o.error.message),
    );

    sim.throttleNext(5, 2);
    const [throttled] = await client.firstPages([working!], () => "contacts");
    expect(throttled).toSatisfy((o: BatchOutcome<unknown>) => !o.ok && o.error instanceof GraphTransientError && o.error.status === 429);
  });

  it("never puts a URL off the Graph host into a batch", async () => {
    const sim = await simulator();
    const { client } = clientFor(sim);
    const [outcome] = await client.firstPages(["http://127.0.0.2:9/v1.0/users/delta"], () => "users");
    expect(outcome).toSatisfy((o: BatchOutcome<unknown>) => !o.ok && /not the Graph host/.test(o.error.message));
    expect(batchPosts(sim)).toEqual([]);
  });
});
