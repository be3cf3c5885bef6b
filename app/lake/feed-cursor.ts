/**
 * The activity feed's keyset cursor: the (at, id) of the last activity of a
 * page, opaque to clients (base64url). A cursor that does not decode is
 * refused rather than read as "from the start".
 */
export type FeedPosition = { at: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeFeedCursor(position: { at: Date; id: string }): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`).toString("base64url");
}

export function decodeFeedCursor(cursor: string): FeedPosition | null {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  if (rest.length || !at || !id || !UUID.test(id) || Number.isNaN(Date.parse(at))) return null;
  return { at: new Date(at).toISOString(), id };
}
