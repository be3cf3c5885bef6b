/**
 * The opportunity list's keyset cursor: the sort it was made for and the
 * last row's (sort key, id), opaque to clients (base64url). A cursor that
 * does not decode, or was made for another sort, is refused rather than
 * read as "from the start".
 */
export const OPPORTUNITY_SORT_KEYS = ["value", "probability", "age", "last_touch", "deadline", "updated"] as const;
export type OpportunitySortKey = (typeof OPPORTUNITY_SORT_KEYS)[number];

/** Each key ascending, or descending with a leading `-` (`-value`: the largest deals first). */
export const OPPORTUNITY_SORTS = OPPORTUNITY_SORT_KEYS.flatMap((key) => [key, `-${key}`] as const);
export type OpportunitySort = OpportunitySortKey | `-${OpportunitySortKey}`;

export type OpportunityPosition = { key: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AMOUNT = /^-?\d{1,16}(\.\d{1,2})?$/;
const PERCENT = /^\d{1,3}(\.\d{1,17})?(e-\d{1,3})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function sortKeyOf(sort: OpportunitySort): OpportunitySortKey {
  return (sort.startsWith("-") ? sort.slice(1) : sort) as OpportunitySortKey;
}

/** Whether a sort key is a well-formed value of its kind: an amount, a percentage, a day or an instant. */
function validKey(sort: OpportunitySort, key: string): boolean {
  switch (sortKeyOf(sort)) {
    case "value":
      return AMOUNT.test(key);
    case "probability":
      return PERCENT.test(key);
    case "deadline":
      return DAY.test(key) && !Number.isNaN(Date.parse(key));
    default:
      return !Number.isNaN(Date.parse(key));
  }
}

export function encodeOpportunityCursor(sort: OpportunitySort, position: OpportunityPosition): string {
  return Buffer.from(`${sort}|${position.key}|${position.id}`).toString("base64url");
}

export function decodeOpportunityCursor(sort: OpportunitySort, cursor: string): OpportunityPosition | null {
  const [madeFor, key, id, ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  if (rest.length || madeFor !== sort || !key || !id || !UUID.test(id) || !validKey(sort, key)) return null;
  const kind = sortKeyOf(sort);
  return kind === "value" || kind === "probability" || kind === "deadline" ? { key, id } : { key: new Date(key).toISOString(), id };
}
