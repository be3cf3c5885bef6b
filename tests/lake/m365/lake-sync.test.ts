import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { type GraphDirectory } from "../../sims/graph/directory";
import { startM365Lake, type M365Lake } from "./m365-lake";

/**
 * Microsoft 365 through the whole engine: the Graph simulator over HTTP, the
 * connector, mapper, validator, normaliser and loader. After a full sync and
 * after changes and deletions in the directory, the lake's live contacts and
 * users are the directory's.
 */
const DIRECTORY = { directoryId: "5f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5", domain: "acme.onmicrosoft.com", clientId: "lake-app", clientSecret: "s3cret" };

let lake: M365Lake;
let directory: GraphDirectory;
let tenantId: string;

beforeAll(async () => {
  lake = await startM365Lake(DIRECTORY, 5);
  ({ directory, tenantId } = lake);
});
afterAll(() => lake.sim.close());

const sync = (mode: "full" | "incremental") => lake.sync(mode);

/** What the directory holds, computed from the simulator's own state. */
function directoryContacts() {
  // A disabled user's mailbox is not read: they have left.
  const withMailbox = new Set([...directory.users.values()].filter((u) => !u.deleted && u.item.accountEnabled && u.item.hasMailbox).map((u) => u.item.id));
  const live = [...directory.contacts.values()].filter((c) => !c.deleted && withMailbox.has(c.owner));
  return {
    emails: [...new Set(live.flatMap((c) => (c.item.emailAddresses[0] ? [c.item.emailAddresses[0].address.toLowerCase()] : [])))].sort(),
    withoutEmail: live.filter((c) => !c.item.emailAddresses[0]).length,
  };
}

async function lakeContacts() {
  const rows = await db.$withTenant(tenantId, (tx) => tx.lakeContact.findMany({ where: { deletedAt: null }, select: { email: true } }));
  return { emails: rows.flatMap((r) => (r.email ? [r.email] : [])).sort(), withoutEmail: rows.filter((r) => !r.email).length };
}

const liveUserEmails = () =>
  [...directory.users.values()]
    .filter((u) => !u.deleted)
    .map((u) => (u.item.mail ?? u.item.userPrincipalName).toLowerCase())
    .sort();

describe("a Microsoft 365 lake sync", () => {
  it("loads the directory's users and contacts, then follows changes and deletions incrementally", async () => {
    const full = await sync("full");
    expect(full).toMatchObject({ status: "succeeded", rejected: 0 });
    expect(await lakeContacts()).toEqual(directoryContacts());
    const users = await db.$withTenant(tenantId, (tx) => tx.lakeUser.findMany({ where: { deletedAt: null }, select: { email: true } }));
    expect(users.map((u) => u.email).sort()).toEqual(liveUserEmails());

    const [first, second] = [...directory.contacts.values()].filter((c) => !c.deleted && c.item.emailAddresses[0]);
    directory.updateContact(first!.item.id, { emailAddresses: [{ name: "Renamed", address: "Renamed.Person@Example.COM" }] });
    directory.deleteContact(second!.item.id);
    const owner = [...directory.users.values()].find((u) => !u.deleted && u.item.hasMailbox)!;
    directory.addContact(owner.item.id, { displayName: "New Contact", emailAddresses: [{ name: "New Contact", address: "new.contact@example.sg" }] });

    const incremental = await sync("incremental");
    expect(incremental).toMatchObject({ status: "succeeded", rejected: 0 });
    expect(incremental!.fetched).toBeLessThan(full!.fetched);
    expect(await lakeContacts()).toEqual(directoryContacts());
    expect((await lakeContacts()).emails).toContain("renamed.person@example.com");

    const again = await sync("incremental");
    expect(again).toMatchObject({ raw_inserted: 0 });
  });
});
