import { afterEach, describe, expect, it } from "vitest";
import { createM365Connector, type MailboxHoldings } from "~/lake/m365/connector.server";
import { parseDeltaCursor } from "~/lake/m365/delta-cursor";
import { createGraphClient } from "~/lake/m365/graph-client.server";
import { type SourceConnector, type SourcePage, type SourceRecord, type SyncMode } from "~/lake/pipeline";
import { type GraphDirectory } from "../../sims/graph/directory";
import { startGraphSimulator, type GraphSim } from "../../sims/graph/server";

const DIRECTORY = { directoryId: "0b8e4c2a-1f3d-4e5a-9b6c-7d8e9f0a1b2c", domain: "globex.onmicrosoft.com", clientId: "lake-app", clientSecret: "s3cret" };
const TODAY = new Date("2026-12-04T12:00:00Z");
/** No lake behind these tests: a departed mailbox has nothing to retire (tests/lake/m365/lake-sync.test.ts retires from a real one). */
const NOTHING_HELD: MailboxHoldings = { mailboxes: async () => [], recordsOf: async () => [], eventsOutside: async () => [] };

let sims: GraphSim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function setup(opts: { roles?: string[]; now?: () => Date; maxPageSize?: number } = {}) {
  const sim = await startGraphSimulator({ directories: [{ ...DIRECTORY, roles: opts.roles }], demo: { seed: 11, today: TODAY } });
  sims.push(sim);
  const client = createGraphClient({ graphBaseUrl: sim.url, loginBaseUrl: sim.url, ...DIRECTORY, maxPageSize: opts.maxPageSize ?? 7, sleep: async () => {} });
  const connector = createM365Connector(client, NOTHING_HELD, { now: opts.now ?? (() => TODAY), calendar: { pastDays: 30, futureDays: 30 } });
  return { sim, directory: sim.directory(DIRECTORY.directoryId), connector };
}

async function sync(connector: SourceConnector, entity: string, mode: SyncMode, cursor: string | null, stopAfter = Infinity) {
  const pages: SourcePage[] = [];
  for await (const page of connector.pages(entity, { mode, cursor })) {
    pages.push(page);
    if (pages.length >= stopAfter) break;
  }
  return { records: pages.flatMap((p) => p.records), cursor: pages.at(-1)?.cursor ?? cursor, pages };
}

const ids = (records: SourceRecord[]) => records.map((r) => r.sourceId).sort();

/** The mailboxes the lake reads: users still in the directory, enabled, with a mailbox. */
function readableMailboxes(directory: GraphDirectory) {
  return new Set([...directory.users.values()].filter((u) => !u.deleted && u.item.accountEnabled && u.item.hasMailbox).map((u) => u.item.id));
}

function liveContacts(directory: GraphDirectory) {
  const readable = readableMailboxes(directory);
  return [...directory.contacts.values()].filter((c) => !c.deleted && readable.has(c.owner)).map((c) => c.item.id);
}

function eventsInWindow(directory: GraphDirectory, start: string, end: string) {
  const readable = readableMailboxes(directory);
  return [...directory.events.values()]
    .filter((e) => !e.deleted && readable.has(e.owner) && Date.parse(e.item.start) < Date.parse(end) && Date.parse(e.item.end) > Date.parse(start))
    .map((e) => `${e.owner}/${e.item.id}`);
}

describe("m365 connector against the Graph simulator", () => {
  it("reads every user, every contact of every folder (the default one too) and the events of the window in full mode", async () => {
    const { directory, connector } = await setup();
    expect(connector.entities).toEqual(["users", "contacts", "events"]);

    const users = await sync(connector, "users", "full", null);
    expect(ids(users.records)).toEqual([...directory.users.keys()].sort());
    expect(users.cursor).toMatch(/\/v1\.0\/users\/delta\?\$deltatoken=/);

    const contacts = await sync(connector, "contacts", "full", null);
    expect(ids(contacts.records)).toEqual(liveContacts(directory).sort());
    const defaultFolders = new Set([...directory.folders.values()].filter((f) => f.isDefault).map((f) => f.id));
    expect(contacts.records.some((r) => defaultFolders.has(r.payload.parentFolderId as string))).toBe(true);
    expect(contacts.records.some((r) => !defaultFolders.has(r.payload.parentFolderId as string))).toBe(true);
    expect(contacts.records[0]!.version).toBe(contacts.records[0]!.payload.changeKey);

    const events = await sync(connector, "events", "full", null);
    const cursor = parseDeltaCursor(events.cursor);
    expect(cursor.window).toEqual({ start: "2026-11-04T00:00:00Z", end: "2027-01-03T00:00:00Z" });
    expect(ids(events.records)).toEqual(eventsInWindow(directory, cursor.window!.start, cursor.window!.end).sort());
    // One link per mailbox read: the user without a mailbox and the disabled one have none.
    expect(Object.keys(cursor.links)).toHaveLength(readableMailboxes(directory).size);
  });

  it("reads only the changes on an incremental sync, removals flagged, from the stored cursors", async () => {
    const { directory, connector } = await setup();
    const users = await sync(connector, "users", "full", null);
    const contacts = await sync(connector, "contacts", "full", null);
    const events = await sync(connector, "events", "full", null);

    const [owner] = [...directory.users.values()].filter((u) => u.item.hasMailbox).map((u) => u.item.id);
    const [first, second] = [...directory.contacts.values()].filter((c) => c.owner === owner).map((c) => c.item.id);
    directory.updateContact(first!, { jobTitle: "CEO" });
    directory.deleteContact(second!);
    const added = directory.addContact(owner!, { displayName: "Lim Hui Min", emailAddresses: [{ name: "Lim Hui Min", address: "huimin@banyan.sg" }] });
    const meeting = directory.addEvent(owner!, { subject: "Proposal review", start: "2026-12-09T02:00:00.000Z", end: "2026-12-09T03:00:00.000Z" });
    const leaver = [...directory.users.values()].find((u) => u.item.id !== owner && u.item.hasMailbox)!.item.id;
    directory.deleteUser(leaver);

    const userChanges = await sync(connector, "users", "incremental", users.cursor);
    expect(userChanges.records).toEqual([
      { entity: "users", sourceId: leaver, version: null, payload: { id: leaver, "@removed": { reason: "changed" } }, removed: true },
    ]);

    const contactChanges = await sync(connector, "contacts", "incremental", contacts.cursor);
    expect(contactChanges.records.map((r) => [r.sourceId, r.removed ?? false])).toEqual([
      [first, false],
      [second, true],
      [added.id, false],
    ]);
    expect(contactChanges.records[0]!.payload.jobTitle).toBe("CEO");
    // The leaver's folders are no longer tracked.
    expect(Object.keys(parseDeltaCursor(contactChanges.cursor).links).some((key) => key.startsWith(`${leaver}/`))).toBe(false);

    const eventChanges = await sync(connector, "events", "incremental", events.cursor);
    expect(eventChanges.records.map((r) => r.sourceId)).toEqual([`${owner}/${meeting.id}`]);

    const nothing = await sync(connector, "contacts", "incremental", contactChanges.cursor);
    expect(nothing.records).toEqual([]);
  });

  it("reads N mailboxes in about N/20 batches of each kind, not a GET per mailbox collection", async () => {
    const { sim, directory, connector } = await setup({ maxPageSize: 200 });
    for (let n = 0; n < 45; n++) {
      const user = directory.addUser({ displayName: `Rep ${n}` });
      const clients = directory.addContactFolder(user.id, "Clients");
      directory.addContact(user.id, { displayName: `Buyer ${n}`, emailAddresses: [{ name: `Buyer ${n}`, address: `buyer${n}@example.sg` }] });
      directory.addContact(user.id, { displayName: `Client ${n}` }, clients.id);
      directory.addEvent(user.id, { subject: `Demo ${n}`, start: "2026-12-08T02:00:00.000Z", end: "2026-12-08T03:00:00.000Z" });
    }
    const enabled = [...directory.users.values()].filter((u) => !u.deleted && u.item.accountEnabled).length;
    const contacts = await sync(connector, "contacts", "full", null);
    const events = await sync(connector, "events", "full", null);
    expect(ids(contacts.records)).toEqual(liveContacts(directory).sort());
    expect(ids(events.records)).toEqual(eventsInWindow(directory, "2026-11-04T00:00:00Z", "2027-01-03T00:00:00Z").sort());

    const batches = sim.requests.filter((r) => r.method === "POST" && r.path === "/v1.0/$batch").length;
    const batched = sim.requests.filter((r) => r.inBatch).length;
    const mailboxGets = sim.requests.filter((r) => r.method === "GET" && !r.inBatch && /^\/v1\.0\/users\/[^/]+\//.test(r.path));
    // Per twenty mailboxes: two batches of folder lists, two of contact rounds (two folders each), one of calendar rounds.
    expect(mailboxGets).toEqual([]);
    expect(batched).toBeGreaterThanOrEqual(4 * (enabled - 1));
    expect(batches).toBeLessThanOrEqual(5 * Math.ceil(enabled / 20));
    expect(batches).toBeLessThan(batched / 15);
  });

  it("still reports the removals of a default Contacts folder that has become empty", async () => {
    const { directory, connector } = await setup();
    const full = await sync(connector, "contacts", "full", null);
    const owner = [...directory.users.values()].find((u) => u.item.hasMailbox)!.item.id;
    const defaultFolder = directory.defaultFolder(owner).id;
    const emptied = [...directory.contacts.values()].filter((c) => c.owner === owner && c.item.parentFolderId === defaultFolder).map((c) => c.item.id);
    for (const id of emptied) directory.deleteContact(id);

    const changes = await sync(connector, "contacts", "incremental", full.cursor);
    expect(changes.records.every((r) => r.removed)).toBe(true);
    expect(ids(changes.records)).toEqual([...emptied].sort());
  });

  it("restarts a round from the start when Graph no longer knows its delta link (410)", async () => {
    const { sim, directory, connector } = await setup();
    const contacts = await sync(connector, "contacts", "full", null);
    const users = await sync(connector, "users", "full", null);
    sim.expireDeltaTokens();

    const again = await sync(connector, "contacts", "incremental", contacts.cursor);
    expect(ids(again.records)).toEqual(liveContacts(directory).sort());
    const usersAgain = await sync(connector, "users", "incremental", users.cursor);
    expect(usersAgain.records).toHaveLength(12);
    expect(sim.requests.filter((r) => r.status === 410).length).toBeGreaterThan(1);
  });

  it("starts afresh from a stored link on a Graph host no longer configured, never calling it", async () => {
    const { sim, connector } = await setup();
    const again = await sync(connector, "users", "incremental", "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=from-another-host");
    expect(again.records).toHaveLength(12);
    expect(sim.requests.find((r) => r.path === "/v1.0/users/delta")!.query).toEqual({ $select: expect.stringContaining("displayName") });
  });

  it("resumes a full sync killed mid-round from the last page's cursor, without reading anything twice", async () => {
    const { directory, connector } = await setup();
    const killed = await sync(connector, "contacts", "full", null, 5);
    const stored = parseDeltaCursor(killed.cursor);
    expect(Object.values(stored.links).some((link) => link.includes("$skiptoken="))).toBe(true);

    // The engine resumes a killed run in its own mode, handing back the run's last cursor.
    const resumed = await sync(connector, "contacts", "full", killed.cursor);
    const seen = [...killed.records, ...resumed.records].map((r) => r.sourceId);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(liveContacts(directory).sort());
  });

  it("knows the live ids only after a whole fresh round of a full sync: not after a resumed, cut or incremental one", async () => {
    const { directory, connector } = await setup();
    const cut = await sync(connector, "contacts", "full", null, 5);
    expect(await connector.liveIds!("contacts")).toBeNull();
    await sync(connector, "contacts", "full", cut.cursor);
    expect(await connector.liveIds!("contacts")).toBeNull();

    const full = await sync(connector, "contacts", "full", null);
    expect([...(await connector.liveIds!("contacts"))!].sort()).toEqual(liveContacts(directory).sort());
    await sync(connector, "contacts", "incremental", full.cursor);
    expect(await connector.liveIds!("contacts")).toBeNull();
  });

  it("rolls the calendar window a day later, starting the events' rounds afresh", async () => {
    let now = TODAY;
    const { connector } = await setup({ now: () => now });
    const first = await sync(connector, "events", "full", null);
    const same = await sync(connector, "events", "incremental", first.cursor);
    expect(same.records).toEqual([]);

    now = new Date("2026-12-05T08:00:00Z");
    const rolled = await sync(connector, "events", "incremental", first.cursor);
    expect(parseDeltaCursor(rolled.cursor).window).toEqual({ start: "2026-11-05T00:00:00Z", end: "2027-01-04T00:00:00Z" });
    expect(rolled.records.length).toBeGreaterThan(0);
    expect(rolled.records.every((r) => !r.removed)).toBe(true);
  });

  it("names the entities whose application permission the directory has not granted", async () => {
    const granted = await setup();
    expect(await granted.connector.check()).toEqual({ missing: [] });

    const partial = await setup({ roles: ["User.Read.All", "Contacts.Read"] });
    expect(await partial.connector.check()).toEqual({ missing: ["events (application permission Calendars.Read not granted)"] });
  });
});
