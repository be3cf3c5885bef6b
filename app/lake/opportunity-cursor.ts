/**
 * The opportunity list's keyset cursor: the sort it was made for and the
 * last row's (sort key, id), opaque to clients (base64url). A cursor that
 * does not decode, or was made for another sort, is refused rather than
 * read as "from the start".
 */
export const OPPORTUNITY_SORTS = ["value", "-value", "updated", "-updated"] as const;
export type OpportunitySort = (typeof OPPORTUNITY_SORTS)[number];

export type OpportunityPosition = { key: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AMOUNT = /^-?\d{1,16}(\.\d{1,2})?$/;

export function encodeOpportunityCursor(sort: OpportunitySort, position: OpportunityPosition): string {
  return Buffer.from(`${sort}|${position.key}|${position.id}`).toString("base64url");
}

export function decodeOpportunityCursor(sort: OpportunitySort, cursor: string): OpportunityPosition | null {
  const [madeFor, key, id, ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  if (rest.length || madeFor !== sort || !key || !id || !UUID.test(id)) return null;
  if (sort.endsWith("value")) return AMOUNT.test(key) ? { key, id } : null;
  return Number.isNaN(Date.parse(key)) ? null : { key: new Date(key).toISOString(), id };
}
