import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { withLakeScope } from "~/lake/hierarchy.server";
import { eventSourceId } from "~/lake/m365/mapper";
import { replayLake } from "~/lake/replay.server";
import { WHOLE_TENANT } from "~/lake/serving-reads.server";
import { SOURCE_MAPPERS } from "~/lake/source-mappers";
import { type GraphDirectory } from "../../sims/graph/directory";
import { startM365Lake, type M365Lake } from "./m365-lake";

/**
 * Users who leave the directory: one removed, one disabled between two
 * syncs. The incremental sync retires exactly the contacts and meetings only
 * their mailboxes held (a contact another mailbox also holds stays, on that
 * mailbox's reference), keeps their versions in the raw zone, and reads their
 * mailboxes no more.
 */
const DIRECTORY = { directoryId: "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", domain: "initech.onmicrosoft.com", clientId: "lake-app", clientSecret: "s3cret" };

let lake: M365Lake;
let directory: GraphDirectory;
let tenantId: string;

beforeAll(async () => {
  lake = await startM365Lake(DIRECTORY, 9);
  ({ directory, tenantId } = lake);
});
afterAll(() => lake.sim.close());

const sync = (mode: "full" | "incremental") => lake.sync(mode);

/** The mailboxes the directory still lets the lake read: users present, enabled, with a mailbox. */
function readable() {
  return new Set([...directory.users.values()].filter((u) => !u.deleted && u.item.accountEnabled && u.item.hasMailbox).map((u) => u.item.id));
}

function directoryContactEmails() {
  const mailboxes = readable();
  const live = [...directory.contacts.values()].filter((c) => !c.deleted && mailboxes.has(c.owner) && c.item.emailAddresses[0]);
  return [...new Set(live.map((c) => c.item.emailAddresses[0]!.address.toLowerCase()))].sort();
}

function directoryMeetings() {
  const mailboxes = readable();
  return [...directory.events.values()]
    .filter((e) => !e.deleted && mailboxes.has(e.owner))
    .map((e) => eventSourceId(e.owner, e.item.id))
    .sort();
}

async function lakeContactEmails() {
  const rows = await db.$withTenant(tenantId, (tx) => tx.lakeContact.findMany({ where: { deletedAt: null, email: { not: null } }, select: { email: true } }));
  return [...new Set(rows.map((r) => r.email!))].sort();
}

/** The live meetings of the lake, by the source reference each still has. */
async function lakeMeetings() {
  // Activities are read per owner: the whole tenant's, as the sync writes them.
  const rows = await withLakeScope(
    tenantId,
    WHOLE_TENANT,
    (tx) => tx.$queryRaw<Array<{ source_id: string }>>`
      SELECT s.source_id FROM lake_activities a
      JOIN lake_source_records s ON s.canonical_id = a.id AND s.source = 'm365' AND s.entity = 'events' AND s.removed_at IS NULL
      WHERE a.deleted_at IS NULL`,
  );
  return rows.map((r) => r.source_id).sort();
}

describe("users who left the directory", () => {
  it("retire the contacts and meetings only their mailboxes held, and their mailboxes are read no more", async () => {
    const mailboxes = [...readable()];
    const [leaver, disabled, colleague] = mailboxes;
    const leaversContacts = [...directory.contacts.values()].filter((c) => c.owner === leaver && c.item.emailAddresses[0]);
    // The same person in the colleague's address book: one canonical contact, two mailboxes behind it.
    const shared = leaversContacts[0]!.item;
    const copy = directory.addContact(colleague!, { displayName: shared.displayName, emailAddresses: [...shared.emailAddresses] });

    expect(await sync("full")).toMatchObject({ status: "succeeded", rejected: 0 });
    expect(await lakeContactEmails()).toEqual(directoryContactEmails());
    expect(await lakeMeetings()).toEqual(directoryMeetings());
    const sharedEmail = shared.emailAddresses[0]!.address.toLowerCase();
    const canonical = await db.$withTenant(tenantId, (tx) => tx.lakeContact.findFirstOrThrow({ where: { email: sharedEmail }, select: { id: true } }));
    const refsOf = (id: string) =>
      db.$withTenant(tenantId, (tx) =>
        tx.lakeSourceRecord.findMany({ where: { canonicalId: id, removedAt: null }, select: { source: true, entity: true, sourceId: true } }),
      );
    expect((await refsOf(canonical.id)).map((r) => r.sourceId).sort()).toEqual([shared.id, copy.id].sort());

    directory.deleteUser(leaver!);
    directory.updateUser(disabled!, { accountEnabled: false });
    const before = lake.sim.requests.length;
    const incremental = await sync("incremental");
    expect(incremental).toMatchObject({ status: "succeeded", rejected: 0 });
    expect(incremental!.deleted).toBeGreaterThan(0);

    expect(await lakeContactEmails()).toEqual(directoryContactEmails());
    expect(await lakeMeetings()).toEqual(directoryMeetings());
    expect(await lakeContactEmails()).toContain(sharedEmail);
    expect(await refsOf(canonical.id)).toEqual([{ source: "m365", entity: "contacts", sourceId: copy.id }]);
    // Exactly what was retired: every contact of the two mailboxes but the shared one is deleted, none of anyone else's.
    const retired = await db.$withTenant(
      tenantId,
      (tx) => tx.$queryRaw<Array<{ source_id: string; deleted: boolean }>>`
        SELECT s.source_id, c.deleted_at IS NOT NULL AS deleted FROM lake_source_records s JOIN lake_contacts c ON c.id = s.canonical_id
        WHERE s.source = 'm365' AND s.entity = 'contacts' AND s.removed_at IS NOT NULL`,
    );
    const departedContacts = [...directory.contacts.values()].filter((c) => c.owner === leaver || c.owner === disabled).map((c) => c.item.id);
    expect(retired.map((r) => r.source_id).sort()).toEqual(departedContacts.sort());
    expect(retired.filter((r) => !r.deleted).map((r) => r.source_id)).toEqual([shared.id]);

    // The users themselves: the removed one deleted, the disabled one inactive.
    const users = await db.$withTenant(
      tenantId,
      (tx) =>
        tx.$queryRaw<Array<{ source_id: string; active: boolean; deleted: boolean }>>`
        SELECT s.source_id, u.active, u.deleted_at IS NOT NULL AS deleted FROM lake_source_records s JOIN lake_users u ON u.id = s.canonical_id
        WHERE s.source = 'm365' AND s.entity = 'users' AND s.source_id = ANY(${[leaver!, disabled!]}::text[])`,
    );
    expect(users.sort((a, b) => (a.source_id === leaver ? -1 : b.source_id === leaver ? 1 : 0))).toEqual([
      { source_id: leaver, active: true, deleted: true },
      { source_id: disabled, active: false, deleted: false },
    ]);

    // The raw zone keeps each retired contact's versions: as read, then removed.
    const history = await db.$withTenant(tenantId, (tx) =>
      tx.lakeRawRecord.findMany({ where: { source: "m365", entity: "contacts", sourceId: shared.id }, orderBy: { id: "asc" }, select: { removed: true } }),
    );
    expect(history).toEqual([{ removed: false }, { removed: true }]);

    // The removals are in the raw zone: a replay from it arrives at the same live contacts and meetings.
    const [contactsNow, meetingsNow] = [await lakeContactEmails(), await lakeMeetings()];
    await replayLake(tenantId, SOURCE_MAPPERS);
    expect([await lakeContactEmails(), await lakeMeetings()]).toEqual([contactsNow, meetingsNow]);

    // Neither mailbox is asked for again, in this sync or the next.
    const again = await sync("incremental");
    expect(again).toMatchObject({ status: "succeeded", raw_inserted: 0, deleted: 0 });
    const mailboxCalls = lake.sim.requests
      .slice(before)
      .filter((r) => r.path.startsWith(`/v1.0/users/${leaver}/`) || r.path.startsWith(`/v1.0/users/${disabled}/`));
    expect(mailboxCalls).toEqual([]);
  });
});
