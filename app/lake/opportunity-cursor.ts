import { isCalendarDay, postgresInstant } from "~/utils/calendar-day";

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
// The smallest normal float8: Postgres fails a text that underflows below it (`1e-999`) rather than reading it as 0.
const FLOAT8_MIN_NORMAL = 2.2250738585072014e-308;

export function sortKeyOf(sort: OpportunitySort): OpportunitySortKey {
  return (sort.startsWith("-") ? sort.slice(1) : sort) as OpportunitySortKey;
}

/** Whether a percentage reads as the same float8 in Postgres: zero written as zero, or a finite number no smaller than float8's normal range. */
function validPercent(key: string): boolean {
  if (!PERCENT.test(key)) return false;
  const percent = Number(key);
  return percent === 0 ? !/[1-9]/.test(key.split("e")[0] ?? key) : Number.isFinite(percent) && percent >= FLOAT8_MIN_NORMAL;
}

/** A sort key as the query casts it, or null when it is not a value of its kind Postgres accepts: an amount, a percentage, a day or an instant. */
function checkedKey(sort: OpportunitySort, key: string): string | null {
  switch (sortKeyOf(sort)) {
    case "value":
      return AMOUNT.test(key) ? key : null;
    case "probability":
      return validPercent(key) ? key : null;
    case "deadline":
      return isCalendarDay(key) ? key : null;
    default:
      return postgresInstant(key);
  }
}

export function encodeOpportunityCursor(sort: OpportunitySort, position: OpportunityPosition): string {
  return Buffer.from(`${sort}|${position.key}|${position.id}`).toString("base64url");
}

export function decodeOpportunityCursor(sort: OpportunitySort, cursor: string): OpportunityPosition | null {
  const [madeFor, key, id, ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  if (rest.length || madeFor !== sort || !key || !id || !UUID.test(id)) return null;
  const bound = checkedKey(sort, key);
  return bound === null ? null : { key: bound, id };
}
