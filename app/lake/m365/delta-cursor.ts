import { z } from "zod";

/**
 * The cursor of a per-mailbox entity (contacts, events). Graph keeps one
 * delta round per collection: per contact folder of each mailbox, and per
 * calendar view of each mailbox. So the cursor is a map from that
 * collection's key to the link to resume from (the deltaLink once a round is
 * done, its nextLink while it is under way, so a killed sync resumes mid-round),
 * plus, for events, the calendar window the links were opened for.
 * Keys: the user id for events, `{userId}/{folderId}` for contacts.
 */
export type DeltaCursor = { links: Record<string, string>; window?: { start: string; end: string } };

const cursorShape = z.object({
  links: z.record(z.string(), z.string()),
  window: z.object({ start: z.string(), end: z.string() }).optional(),
});

/** A stored cursor; an unreadable one (older shape, hand-edited) starts afresh rather than failing the sync. */
export function parseDeltaCursor(cursor: string | null): DeltaCursor {
  if (!cursor) return { links: {} };
  try {
    const parsed = cursorShape.safeParse(JSON.parse(cursor));
    return parsed.success ? parsed.data : { links: {} };
  } catch {
    return { links: {} };
  }
}

export function serializeDeltaCursor(cursor: DeltaCursor): string {
  const links = Object.fromEntries(Object.entries(cursor.links).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify(cursor.window ? { links, window: cursor.window } : { links });
}

export function contactFolderKey(userId: string, folderId: string): string {
  return `${userId}/${folderId}`;
}

/** The mailbox (user id) a cursor key belongs to: the key itself for events, its part before the first `/` for contacts. */
export function mailboxOfKey(key: string): string {
  const at = key.indexOf("/");
  return at < 0 ? key : key.slice(0, at);
}

/** The folder ids a cursor holds for one user (user ids are GUIDs, so the first `/` ends the user part). */
export function contactFoldersInCursor(cursor: DeltaCursor, userId: string): string[] {
  const prefix = `${userId}/`;
  return Object.keys(cursor.links)
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
}

/**
 * The calendar window the events' delta rounds track: `pastDays` back and
 * `futureDays` ahead of today (UTC midnight). Graph fixes it when a round
 * starts, so it rolls by starting new rounds: once today has moved
 * `rollAfterDays` past the window's own day, the stored links are dropped.
 */
export function calendarWindow(now: Date, opts: { pastDays: number; futureDays: number }): { start: string; end: string } {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
  return { start: iso(day - opts.pastDays * 86_400_000), end: iso(day + opts.futureDays * 86_400_000) };
}

export function windowNeedsRolling(window: { start: string } | undefined, now: Date, opts: { pastDays: number; rollAfterDays: number }): boolean {
  if (!window) return true;
  const openedOn = Date.parse(window.start) + opts.pastDays * 86_400_000;
  return Number.isNaN(openedOn) || now.getTime() >= openedOn + opts.rollAfterDays * 86_400_000;
}
