import { z } from "zod";
import { OPPORTUNITY_SORTS, sortKeyOf, type OpportunitySort, type OpportunitySortKey } from "~/lake/opportunity-cursor";
import { BUCKETS, type Bucket } from "~/scoring/score";
import { isCalendarMonth } from "~/utils/calendar-day";
import { withSearchParams } from "~/utils/search-params";

/**
 * The deal list's query parameters, one definition for the Opportunities page,
 * GET /api/opportunities and the CSV export, so a link from the Pipeline page,
 * a shared URL and a download all mean the same deals. Browser-safe.
 */
export const OPPORTUNITY_PAGE_MAX = 200;
export const OPPORTUNITY_PAGE_DEFAULT = 50;
export const OPPORTUNITY_OUTCOMES = ["open", "won", "lost"] as const;
/** Open deals expected to close in the current Singapore month, or whose expected closing day has passed. */
export const OPPORTUNITY_CLOSINGS = ["this_month", "overdue"] as const;
export const DEFAULT_OPPORTUNITY_SORT: OpportunitySort = "-updated";

// Year 0000 passes the pattern but fails the query.
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: "must be a month, YYYY-MM", abort: true })
  .refine(isCalendarMonth, { error: "must be a month from 0001-01 to 9999-12" });

const filterShape = {
  stage: z.string().trim().min(1).max(200).optional(),
  owner: z.uuid().optional(),
  team: z.uuid().optional(),
  tag: z.string().trim().min(1).max(200).optional(),
  outcome: z.enum(OPPORTUNITY_OUTCOMES).optional(),
  closing: z.enum(OPPORTUNITY_CLOSINGS).optional(),
  opened_from: month.optional(),
  opened_to: month.optional(),
  // The deals behind a Lead engine outcome figure: those of the leads the platform pushed (`pushed=1`), of one first run, ICP version or score bucket.
  pushed: z.literal("1").optional(),
  pushed_run: z.uuid().optional(),
  pushed_icp: z.union([z.literal("none"), z.string().regex(/^[1-9]\d{0,8}$/, { error: "must be an ICP version number or none" })]).optional(),
  pushed_bucket: z.enum(BUCKETS).optional(),
  sort: z.enum(OPPORTUNITY_SORTS).default(DEFAULT_OPPORTUNITY_SORT),
};

const openedInOrder = (query: { opened_from?: string; opened_to?: string }) => !query.opened_from || !query.opened_to || query.opened_from <= query.opened_to;
const openedOrderIssue = { error: "opened_from must not be after opened_to", path: ["opened_from"] };

/** The filters and sort without paging: what the CSV export takes. */
export const OpportunityFilterQuery = z.object(filterShape).strict().refine(openedInOrder, openedOrderIssue);

export const OpportunityListQuery = z
  .object({
    ...filterShape,
    /** The `next_cursor` of the previous page, with the same sort. */
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(OPPORTUNITY_PAGE_MAX).default(OPPORTUNITY_PAGE_DEFAULT),
  })
  .strict()
  .refine(openedInOrder, openedOrderIssue);

export type OpportunityListParams = z.infer<typeof OpportunityListQuery>;

/**
 * Deals of pushed leads, as the Lead engine outcome page counts them, narrowed
 * to the lead's first run, that run's ICP version (null: a run made before ICP
 * versions) or the lead's bucket in it.
 */
export type PushedDealsFilter = { runId?: string; icpVersion?: number | null; bucket?: Bucket };

/** The filters as the read function takes them. */
export type OpportunityFilters = {
  stage?: string;
  ownerId?: string;
  teamId?: string;
  tag?: string;
  outcome?: (typeof OPPORTUNITY_OUTCOMES)[number];
  closing?: (typeof OPPORTUNITY_CLOSINGS)[number];
  openedFrom?: string;
  openedTo?: string;
  pushed?: PushedDealsFilter;
};

/** The search parameters as an object, an empty value (`?stage=`, as a form submits an unset filter) counting as none. */
export function givenParams(search: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...search].filter(([, value]) => value !== ""));
}

export function opportunityFiltersOf(query: z.infer<typeof OpportunityFilterQuery>): OpportunityFilters {
  return {
    stage: query.stage,
    ownerId: query.owner,
    teamId: query.team,
    tag: query.tag,
    outcome: query.outcome,
    closing: query.closing,
    openedFrom: query.opened_from,
    openedTo: query.opened_to,
    pushed: pushedDealsFilterOf(query),
  };
}

/** The parameters of the pushed-deals filter, which the filter form carries along unchanged. */
export const PUSHED_PARAMS = ["pushed", "pushed_run", "pushed_icp", "pushed_bucket"] as const;

/** The pushed-deals filter of a query: any `pushed_*` parameter implies `pushed=1`. */
function pushedDealsFilterOf(query: z.infer<typeof OpportunityFilterQuery>): PushedDealsFilter | undefined {
  if (!PUSHED_PARAMS.some((name) => query[name])) return undefined;
  const icpVersion = query.pushed_icp === undefined ? undefined : query.pushed_icp === "none" ? null : Number(query.pushed_icp);
  return { runId: query.pushed_run, icpVersion, bucket: query.pushed_bucket };
}

/** The export of the list a page shows: the same filters and sort, without its paging. */
export function exportSearch(search: string): string {
  return withSearchParams(search, { cursor: null, limit: null });
}

/** The list's columns a reader can sort by, with their words. */
export const SORT_LABEL: Record<OpportunitySortKey, string> = {
  value: "Value",
  probability: "Probability",
  age: "Age in stage",
  last_touch: "Last touch",
  deadline: "Expected closing",
  updated: "Last change",
};

/** The sort a column header switches to: descending first for amounts and dates, the other way when it already sorts by it that way. */
export function toggledSort(current: OpportunitySort, key: OpportunitySortKey): OpportunitySort {
  return current === `-${key}` ? key : `-${key}`;
}

const FIRST: Record<OpportunitySortKey, [ascending: string, descending: string]> = {
  value: ["smallest first", "largest first"],
  probability: ["least likely first", "most likely first"],
  age: ["newest in stage first", "longest in stage first"],
  last_touch: ["least recently touched first", "most recently touched first"],
  deadline: ["closing soonest first", "closing latest first"],
  updated: ["least recently changed first", "most recently changed first"],
};

/** A sort in words, for the sort picker: "Value, largest first". */
export function sortOptionLabel(sort: OpportunitySort): string {
  const key = sortKeyOf(sort);
  return `${SORT_LABEL[key]}, ${FIRST[key][sort.startsWith("-") ? 1 : 0]}`;
}

export const CLOSING_LABEL: Record<(typeof OPPORTUNITY_CLOSINGS)[number], string> = {
  this_month: "Closing this month",
  overdue: "Overdue",
};

/** Where a timeline entry came from, in words. */
export const TIMELINE_SOURCE_LABEL: Record<"odoo" | "m365", string> = { odoo: "Odoo", m365: "Outlook" };
