import { postgresInstant } from "~/utils/calendar-day";

/**
 * The keyset cursor of pages ordered by time then id (the activity feed, the
 * sync history): the (at, id) of a page's last row, opaque to clients (base64url). A cursor that does not decode is
 * refused rather than read as "from the start".
 */
export type FeedPosition = { at: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeFeedCursor(position: { at: Date; id: string }): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`).toString("base64url");
}

export function decodeFeedCursor(cursor: string): FeedPosition | null {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  if (rest.length || !at || !id || !UUID.test(id)) return null;
  const instant = postgresInstant(at);
  return instant === null ? null : { at: instant, id };
}
