import { type SourceCheck, type SourceConnector, type SourcePage, type SourceRecord } from "../pipeline";
import {
  calendarWindow,
  contactFolderKey,
  contactFoldersInCursor,
  parseDeltaCursor,
  serializeDeltaCursor,
  windowNeedsRolling,
  type DeltaCursor,
} from "./delta-cursor";
import { type DeltaPage, type GraphClient, type GraphItem } from "./graph-client.server";
import { GraphError, GraphSyncReset } from "./graph-errors.server";
import { segment } from "./graph-urls";
import { M365_ENTITIES, eventSourceId } from "./mapper";

/**
 * Microsoft 365 as a lake source: the directory's users, each mailbox's
 * personal contacts (every folder, the default Contacts folder included) and
 * the events of each mailbox's calendar view, all read as Graph delta rounds.
 *
 * Cursors: the users' cursor is the users' delta link itself; contacts and
 * events keep one link per mailbox collection (see delta-cursor.ts). A full
 * sync starts without a cursor, so every round starts without a link and
 * re-reads everything; a cursor handed in full mode is that run's own
 * progress (the engine resumes a killed run with it) and is followed like an
 * incremental one. There is no `liveIds`: each round reports removals itself
 * (`@removed`).
 * A dead link (410, `syncStateNotFound`) restarts that one round from the
 * start. A user without a mailbox, or a folder that went away, is skipped.
 */

export type CalendarOptions = { pastDays: number; futureDays: number; rollAfterDays: number };

const DEFAULT_CALENDAR: CalendarOptions = { pastDays: 90, futureDays: 90, rollAfterDays: 1 };

/** What each entity needs granted, named in the connection check. */
const PERMISSION_FOR = { users: "User.Read.All", contacts: "Contacts.Read", events: "Calendars.Read" } as const;

export function createM365Connector(client: GraphClient, options: { now?: () => Date; calendar?: Partial<CalendarOptions> } = {}): SourceConnector {
  const now = options.now ?? (() => new Date());
  const calendar = { ...DEFAULT_CALENDAR, ...options.calendar };

  /**
   * One delta round from a stored link; when the link has expired, or points
   * at a Graph host no longer configured, the round starts over from `fresh`.
   */
  async function* round(stored: string, fresh: string): AsyncGenerator<DeltaPage> {
    const start = client.followable(stored) ? stored : fresh;
    try {
      yield* client.delta(start);
    } catch (error) {
      if (!(error instanceof GraphSyncReset) || start === fresh) throw error;
      yield* client.delta(fresh);
    }
  }

  async function* users(cursor: string | null): AsyncGenerator<SourcePage> {
    const fresh = client.usersDeltaUrl();
    for await (const page of round(cursor ?? fresh, fresh)) {
      yield { records: page.items.map((item) => record("users", item.id, item, null)), cursor: page.nextLink ?? page.deltaLink };
    }
  }

  /**
   * The rounds of every mailbox collection, in turn; `scopes` lists a user's
   * collections as [cursor key, first URL] pairs, or null without a mailbox.
   */
  async function* perMailbox(
    state: DeltaCursor,
    scopes: (userId: string) => Promise<Array<[string, string]> | null>,
    toRecord: (userId: string, item: GraphItem) => SourceRecord,
  ): AsyncGenerator<SourcePage> {
    const mailboxes = await client.listUsers();
    const present = new Set(mailboxes.map((u) => u.id));
    // Links of users who left the directory go (their removal is reported with the users; their contacts and events stay as last read).
    const next: DeltaCursor = { ...state, links: Object.fromEntries(Object.entries(state.links).filter(([key]) => present.has(key.split("/")[0]!))) };
    for (const { id: userId } of mailboxes) {
      const collections = await scopes(userId).catch((error: unknown) => {
        if (isNotFound(error)) return null;
        throw error;
      });
      if (!collections) {
        for (const key of Object.keys(next.links)) if (key === userId || key.startsWith(`${userId}/`)) delete next.links[key];
        continue;
      }
      for (const [key, fresh] of collections) {
        try {
          for await (const page of round(next.links[key] ?? fresh, fresh)) {
            next.links[key] = (page.nextLink ?? page.deltaLink)!;
            yield { records: page.items.map((item) => toRecord(userId, item)), cursor: serializeDeltaCursor(next) };
          }
        } catch (error) {
          if (!isNotFound(error)) throw error;
          // The folder (or the whole mailbox) went away since it was listed.
          delete next.links[key];
        }
      }
    }
  }

  function contacts(cursor: string | null): AsyncGenerator<SourcePage> {
    const state = parseDeltaCursor(cursor);
    return perMailbox(
      state,
      async (userId) => {
        // The default folder is not among contactFolders; folders the cursor
        // already tracks stay, so a default folder that became empty still reports its removals.
        const folders = new Set<string>();
        const defaultFolder = await client.defaultContactFolderId(userId);
        if (defaultFolder) folders.add(defaultFolder);
        for (const folder of await client.listContactFolders(userId)) folders.add(folder.id);
        for (const folderId of contactFoldersInCursor(state, userId)) folders.add(folderId);
        return [...folders].map((folderId) => [contactFolderKey(userId, folderId), client.contactsDeltaUrl(userId, folderId)]);
      },
      (_userId, item) => record("contacts", item.id, item, version(item)),
    );
  }

  function events(cursor: string | null): AsyncGenerator<SourcePage> {
    const today = now();
    let state = parseDeltaCursor(cursor);
    if (!state.window || windowNeedsRolling(state.window, today, calendar)) {
      state = { links: {}, window: calendarWindow(today, calendar) };
    }
    const window = state.window!;
    return perMailbox(
      state,
      async (userId) => [[userId, client.calendarViewDeltaUrl(userId, window)]],
      (userId, item) => record("events", eventSourceId(userId, item.id), item, version(item)),
    );
  }

  async function check(): Promise<SourceCheck> {
    await client.accessToken();
    const missing: string[] = [];
    const refused = async (entity: keyof typeof PERMISSION_FOR, probe: () => Promise<unknown>) => {
      try {
        return await probe();
      } catch (error) {
        if (error instanceof GraphError && error.status === 403) {
          missing.push(`${entity} (application permission ${PERMISSION_FOR[entity]} not granted)`);
          return undefined;
        }
        if (isNotFound(error)) return undefined;
        throw error;
      }
    };
    const listed = (await refused("users", () => client.probe("users", { $top: "1", $select: "id" }))) as { value?: Array<{ id?: string }> } | undefined;
    const someone = listed?.value?.[0]?.id;
    if (someone) {
      const window = calendarWindow(now(), { pastDays: 1, futureDays: 1 });
      await refused("contacts", () => client.probe(`users/${segment(someone)}/contactFolders`, { $top: "1" }));
      await refused("events", () =>
        client.probe(`users/${segment(someone)}/calendarView`, { startDateTime: window.start, endDateTime: window.end, $top: "1" }),
      );
    }
    return { missing };
  }

  return {
    source: "m365",
    entities: M365_ENTITIES,
    check,
    pages(entity, { cursor }) {
      if (entity === "users") return users(cursor);
      if (entity === "contacts") return contacts(cursor);
      if (entity === "events") return events(cursor);
      throw new Error(`m365 has no entity ${entity}`);
    },
  };
}

/** The mailbox or folder is not there (no Exchange licence, folder deleted). */
function isNotFound(error: unknown): boolean {
  return error instanceof GraphError && error.status === 404;
}

function record(entity: string, sourceId: string, item: GraphItem, itemVersion: string | null): SourceRecord {
  const removed = item["@removed"] !== undefined;
  return { entity, sourceId, version: removed ? null : itemVersion, payload: item, ...(removed ? { removed: true } : {}) };
}

/** Outlook items carry `changeKey`, and `@odata.etag` in most answers; either marks the version. */
function version(item: GraphItem): string | null {
  const value = item.changeKey ?? item["@odata.etag"];
  return typeof value === "string" && value ? value : null;
}
