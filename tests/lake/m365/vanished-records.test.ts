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
 * What was deleted in Microsoft 365 while the lake's delta links were dead:
 * Graph answers 410 and the rounds restart, and a fresh round reports no
 * removals. An incremental sync cannot see those deletions; the full
 * reconcile finds them by comparing the ids its fresh rounds read with what
 * the lake holds, and retires them — a user, a contact and a meeting — while
 * a contact another mailbox still holds stays live.
 */
const DIRECTORY = { directoryId: "5c2d3e4f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", domain: "hooli.onmicrosoft.com", clientId: "lake-app", clientSecret: "s3cret" };

let lake: M365Lake;
let directory: GraphDirectory;
let tenantId: string;

beforeAll(async () => {
  lake = await startM365Lake(DIRECTORY, 13);
  ({ directory, tenantId } = lake);
});
afterAll(() => lake.sim.close());

/** The live lake records of an entity, by source id. */
function liveSourceIds(entity: "users" | "contacts" | "events") {
  return withLakeScope(tenantId, WHOLE_TENANT, async (tx) => {
    const table = { users: "lake_users", contacts: "lake_contacts", events: "lake_activities" }[entity];
    const rows = await tx.$queryRawUnsafe<Array<{ source_id: string }>>(
      `SELECT s.source_id FROM lake_source_records s JOIN ${table} c ON c.id = s.canonical_id
       WHERE s.source = 'm365' AND s.entity = $1 AND s.removed_at IS NULL AND c.deleted_at IS NULL`,
      entity,
    );
    return rows.map((r) => r.source_id).sort();
  });
}

/** The directory's own live records, read from the simulator. */
function directoryIds(entity: "users" | "contacts" | "events") {
  const users = [...directory.users.values()].filter((u) => !u.deleted);
  if (entity === "users") return users.map((u) => u.item.id).sort();
  const mailboxes = new Set(users.filter((u) => u.item.accountEnabled && u.item.hasMailbox).map((u) => u.item.id));
  if (entity === "contacts")
    return [...directory.contacts.values()]
      .filter((c) => !c.deleted && mailboxes.has(c.owner))
      .map((c) => c.item.id)
      .sort();
  return [...directory.events.values()]
    .filter((e) => !e.deleted && mailboxes.has(e.owner))
    .map((e) => eventSourceId(e.owner, e.item.id))
    .sort();
}

describe("records deleted while the delta links were dead", () => {
  it("stay after an incremental sync and are retired by the full reconcile", async () => {
    expect(await lake.sync("full")).toMatchObject({ status: "succeeded", rejected: 0 });
    const mailboxes = [...directory.users.values()].filter((u) => u.item.accountEnabled && u.item.hasMailbox).map((u) => u.item.id);
    const [leaver, holder, colleague] = mailboxes;
    const contact = [...directory.contacts.values()].find((c) => c.owner === holder && c.item.emailAddresses[0])!;
    const meeting = [...directory.events.values()].find((e) => e.owner === holder)!;
    // The same person in two address books: deleting one copy leaves the person live.
    const shared = [...directory.contacts.values()].find((c) => c.owner === colleague && c.item.emailAddresses[0])!;
    const copy = directory.addContact(holder!, { displayName: shared.item.displayName, emailAddresses: [...shared.item.emailAddresses] });
    expect(await lake.sync("incremental")).toMatchObject({ status: "succeeded", rejected: 0 });

    lake.sim.expireDeltaTokens();
    directory.deleteUser(leaver!);
    directory.deleteContact(contact.item.id);
    directory.deleteEvent(meeting.item.id);
    directory.deleteContact(copy.id);

    // Every round restarts fresh: nothing reports the removals, so an incremental sync keeps them.
    expect(await lake.sync("incremental")).toMatchObject({ status: "succeeded", rejected: 0 });
    expect(await liveSourceIds("contacts")).toContain(contact.item.id);
    expect(await liveSourceIds("events")).toContain(eventSourceId(holder!, meeting.item.id));

    const full = await lake.sync("full");
    expect(full).toMatchObject({ status: "succeeded", rejected: 0 });
    expect(full!.deleted).toBeGreaterThan(0);
    for (const entity of ["users", "contacts", "events"] as const) expect(await liveSourceIds(entity), entity).toEqual(directoryIds(entity));
    const sharedEmail = shared.item.emailAddresses[0]!.address.toLowerCase();
    const person = await db.$withTenant(tenantId, (tx) => tx.lakeContact.findMany({ where: { email: sharedEmail, deletedAt: null }, select: { id: true } }));
    expect(person).toHaveLength(1);

    // The raw zone keeps the deleted contact's versions, and a replay from it agrees.
    const history = await db.$withTenant(tenantId, (tx) =>
      tx.lakeRawRecord.findMany({
        where: { source: "m365", entity: "contacts", sourceId: contact.item.id },
        orderBy: { id: "asc" },
        select: { removed: true },
      }),
    );
    expect(history.at(-1)).toEqual({ removed: true });
    const before = await Promise.all((["users", "contacts", "events"] as const).map(liveSourceIds));
    await replayLake(tenantId, SOURCE_MAPPERS);
    expect(await Promise.all((["users", "contacts", "events"] as const).map(liveSourceIds))).toEqual(before);
  });
});
