import { type SourceCheck, type SourceConnector, type SourcePage, type SourceRecord } from "../pipeline";
import {
  calendarWindow,
  contactFolderKey,
  contactFoldersInCursor,
  mailboxOfKey,
  parseDeltaCursor,
  serializeDeltaCursor,
  windowNeedsRolling,
  type DeltaCursor,
} from "./delta-cursor";
import { BATCH_LIMIT, type BatchOutcome, type DeltaPage, type GraphClient, type GraphItem } from "./graph-client.server";
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
 * incremental one. Each round reports removals itself (`@removed`), except
 * those made while its link was dead: a full sync's fresh rounds find those
 * by comparing ids (`liveIds`).
 * The mailboxes are read twenty at a time: their folder lists, then the
 * first page of each of their rounds, go out as JSON batches; later pages
 * follow `@odata.nextLink` one by one.
 * A dead link (410, `syncStateNotFound`) restarts that one round from the
 * start. A user without a mailbox, or a folder that went away, is skipped.
 * A user who left (removed from the directory, or disabled) is read no more:
 * their links are dropped, and the contacts and events the lake holds from
 * their mailbox come back as removed records, so only what another source
 * (another mailbox, Odoo) still holds stays live.
 */

export type CalendarOptions = { pastDays: number; futureDays: number; rollAfterDays: number };

export type MailboxEntity = "contacts" | "events";

/**
 * What the lake already holds from each mailbox, so a departed user's
 * contacts and events can be retired without reading their mailbox again.
 */
export type MailboxHoldings = {
  /** The mailboxes whose `entity` the lake follows (as of its stored cursor). */
  mailboxes(entity: MailboxEntity): Promise<string[]>;
  /** The source ids of the live `entity` records the lake holds from these mailboxes. */
  recordsOf(entity: MailboxEntity, mailboxIds: string[]): Promise<string[]>;
  /** The source ids of the live events the lake holds that start outside `[from, to)`. */
  eventsOutside(from: Date, to: Date): Promise<string[]>;
};

const DAY_MS = 86_400_000;

const DEFAULT_CALENDAR: CalendarOptions = { pastDays: 90, futureDays: 90, rollAfterDays: 1 };

/** What each entity needs granted, named in the connection check. */
const PERMISSION_FOR = { users: "User.Read.All", contacts: "Contacts.Read", events: "Calendars.Read" } as const;

/** A mailbox's collections as [cursor key, first URL] pairs. */
type Collections = Array<[string, string]>;

export function createM365Connector(
  client: GraphClient,
  holdings: MailboxHoldings,
  options: { now?: () => Date; calendar?: Partial<CalendarOptions> } = {},
): SourceConnector {
  const now = options.now ?? (() => new Date());
  const calendar = { ...DEFAULT_CALENDAR, ...options.calendar };
  // The ids each entity's fresh round of a full sync yielded, complete once the round ended; and the calendar window it read.
  const rounds = new Map<string, { seen: Set<string>; complete: boolean }>();
  let eventsWindow: { start: string; end: string } | undefined;

  async function* tracked(entity: string, pages: AsyncGenerator<SourcePage>, fresh: boolean): AsyncGenerator<SourcePage> {
    rounds.delete(entity);
    if (!fresh) return yield* pages;
    const round = { seen: new Set<string>(), complete: false };
    rounds.set(entity, round);
    for await (const page of pages) {
      for (const item of page.records) if (!item.removed) round.seen.add(item.sourceId);
      yield page;
    }
    round.complete = true;
  }

  /**
   * One delta round from its first page (fetched in a batch) or, without
   * one, from `start`; when the link has expired the round starts over from
   * `fresh`.
   */
  async function* round(first: BatchOutcome<DeltaPage> | null, start: string, fresh: string): AsyncGenerator<DeltaPage> {
    try {
      if (first && !first.ok) throw first.error;
      yield* client.delta(first ? first.value : start);
    } catch (error) {
      if (!(error instanceof GraphSyncReset) || start === fresh) throw error;
      yield* client.delta(fresh);
    }
  }

  /** A stored link is followed while it points at the Graph host configured now; otherwise the round starts afresh. */
  const startOf = (stored: string | undefined, fresh: string) => (stored && client.followable(stored) ? stored : fresh);

  async function* users(cursor: string | null): AsyncGenerator<SourcePage> {
    const fresh = client.usersDeltaUrl();
    for await (const page of round(null, startOf(cursor ?? undefined, fresh), fresh)) {
      yield { records: page.items.map((item) => record("users", item.id, item, null)), cursor: page.nextLink ?? page.deltaLink };
    }
  }

  /**
   * The rounds of every readable mailbox's collections, twenty mailboxes at
   * a time; `scopes` names each mailbox's collections, or its error.
   * Departed mailboxes come first, as one page of removals saved with the
   * cursor that no longer follows them.
   */
  async function* perMailbox(
    entity: MailboxEntity,
    state: DeltaCursor,
    scopes: (userIds: string[]) => Promise<Array<BatchOutcome<Collections>>>,
    toRecord: (userId: string, item: GraphItem) => SourceRecord,
  ): AsyncGenerator<SourcePage> {
    const directory = await client.listUsers();
    const readable = directory.filter((user) => user.accountEnabled !== false).map((user) => user.id);
    const kept = new Set(readable);
    const next: DeltaCursor = { ...state, links: Object.fromEntries(Object.entries(state.links).filter(([key]) => kept.has(mailboxOfKey(key)))) };
    const followed = [...Object.keys(state.links).map(mailboxOfKey), ...(await holdings.mailboxes(entity))];
    const departed = [...new Set(followed)].filter((userId) => !kept.has(userId));
    if (departed.length > 0) {
      const retired = await holdings.recordsOf(entity, departed);
      yield { records: retired.map((sourceId) => ({ entity, sourceId, version: null, payload: {}, removed: true })), cursor: serializeDeltaCursor(next) };
    }
    for (let from = 0; from < readable.length; from += BATCH_LIMIT) {
      const userIds = readable.slice(from, from + BATCH_LIMIT);
      const found = await scopes(userIds);
      const collections: Array<{ userId: string; key: string; fresh: string }> = [];
      userIds.forEach((userId, n) => {
        const outcome = found[n]!;
        if (outcome.ok) {
          for (const [key, fresh] of outcome.value) collections.push({ userId, key, fresh });
          return;
        }
        if (!isNotFound(outcome.error)) throw outcome.error;
        // No mailbox (no Exchange licence): nothing of it to follow.
        for (const key of Object.keys(next.links)) if (mailboxOfKey(key) === userId) delete next.links[key];
      });
      for (let at = 0; at < collections.length; at += BATCH_LIMIT) {
        const group = collections.slice(at, at + BATCH_LIMIT);
        const starts = group.map(({ key, fresh }) => startOf(next.links[key], fresh));
        const firsts = await client.firstPages(starts, (i) => `${entity} delta ${group[i]!.key}`);
        for (const [i, { userId, key, fresh }] of group.entries()) {
          try {
            for await (const page of round(firsts[i]!, starts[i]!, fresh)) {
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
  }

  function contacts(cursor: string | null): AsyncGenerator<SourcePage> {
    const state = parseDeltaCursor(cursor);
    return perMailbox(
      "contacts",
      state,
      async (userIds) =>
        (await client.mailboxFolders(userIds)).map((outcome, n) => {
          if (!outcome.ok) return outcome;
          const userId = userIds[n]!;
          // The default folder is not among contactFolders; folders the cursor
          // already tracks stay, so a default folder that became empty still reports its removals.
          const folders = new Set<string>(outcome.value.defaultFolderId ? [outcome.value.defaultFolderId] : []);
          for (const folderId of outcome.value.folderIds) folders.add(folderId);
          for (const folderId of contactFoldersInCursor(state, userId)) folders.add(folderId);
          return {
            ok: true,
            value: [...folders].map((folderId): [string, string] => [contactFolderKey(userId, folderId), client.contactsDeltaUrl(userId, folderId)]),
          };
        }),
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
    eventsWindow = window;
    return perMailbox(
      "events",
      state,
      async (userIds) => userIds.map((userId) => ({ ok: true, value: [[userId, client.calendarViewDeltaUrl(userId, window)]] })),
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
    const listed = (await refused("users", () => client.probe("users", { $top: String(BATCH_LIMIT), $select: "id,accountEnabled" }))) as
      { value?: Array<{ id?: string; accountEnabled?: boolean }> } | undefined;
    // A mailbox the sync would read: a disabled user's is not.
    const someone = listed?.value?.find((user) => user.accountEnabled !== false)?.id;
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
    pages(entity, { mode, cursor }) {
      const fresh = mode === "full" && cursor === null;
      if (entity === "users") return tracked(entity, users(cursor), fresh);
      if (entity === "contacts") return tracked(entity, contacts(cursor), fresh);
      if (entity === "events") return tracked(entity, events(cursor), fresh);
      throw new Error(`m365 has no entity ${entity}`);
    },
    /**
     * A fresh delta round lists everything the source holds but reports no
     * removal, so what was deleted while a link was dead (or before the lake
     * followed the mailbox) is whatever the lake holds that the round did not
     * yield. Only a whole fresh round of a full sync can tell: a resumed or
     * incremental one says nothing. Events outside the calendar window (a
     * day's margin each side) were not read, so they stay.
     */
    async liveIds(entity) {
      const round = rounds.get(entity);
      if (!round?.complete) return null;
      if (entity !== "events" || !eventsWindow) return round.seen;
      const outside = await holdings.eventsOutside(new Date(Date.parse(eventsWindow.start) + DAY_MS), new Date(Date.parse(eventsWindow.end) - DAY_MS));
      return new Set([...round.seen, ...outside]);
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
