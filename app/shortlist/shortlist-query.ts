import { z } from "zod";
import { BUCKETS, type Bucket } from "~/scoring/score";
import { isCalendarDay } from "~/utils/calendar-day";

/**
 * The shortlist's filters as they travel in the URL (page, export links, API).
 * Safe to import in the browser. Each field is read on its own, so one bad
 * value is reported next to its input while the others still apply.
 */
export const SHORTLIST_PAGE_SIZE = 50;
export const SEARCH_MAX_LENGTH = 100;

export type ShortlistFilters = {
  /** Singapore date, YYYY-MM-DD; null means today. */
  date: string | null;
  bucket: Bucket | null;
  industry: string | null;
  /** Only companies with at least one verified email address. */
  hasEmail: boolean;
  /** Name, UEN or domain (substring, case-insensitive). */
  q: string | null;
};

export type ShortlistQuery = ShortlistFilters & { page: number };
export type FilterErrors = Partial<Record<keyof ShortlistQuery, string>>;

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-22")
  .refine(isCalendarDay, "Not a calendar date");

// Postgres text cannot hold NUL, and no name, UEN or domain contains a control character.
const searchText = z
  .string()
  .trim()
  .min(1)
  .max(SEARCH_MAX_LENGTH, `At most ${SEARCH_MAX_LENGTH} characters`)
  .regex(/^[^\u0000-\u001f\u007f]*$/, "Remove the control characters");

const fields = {
  date: isoDateSchema,
  bucket: z.enum(BUCKETS, { error: "Bucket must be High, Medium or Low" }),
  industry: searchText,
  q: searchText,
  page: z.coerce.number({ error: "Page must be a number" }).int("Page must be a whole number").min(1, "Page starts at 1").max(100_000),
};

export function parseShortlistSearch(search: URLSearchParams): { query: ShortlistQuery; errors: FilterErrors } {
  const errors: FilterErrors = {};
  const read = <K extends keyof typeof fields>(key: K): z.infer<(typeof fields)[K]> | null => {
    const raw = search.get(key);
    if (raw === null || raw.trim() === "") return null;
    const parsed = fields[key].safeParse(raw);
    if (parsed.success) return parsed.data as z.infer<(typeof fields)[K]>;
    errors[key] = parsed.error.issues[0]?.message ?? "Invalid value";
    return null;
  };
  const hasEmail = search.get("hasEmail");
  if (hasEmail !== null && !["", "1", "0", "true", "false", "on"].includes(hasEmail)) errors.hasEmail = "hasEmail must be 1 or 0";
  const query: ShortlistQuery = {
    date: read("date"),
    bucket: read("bucket"),
    industry: read("industry"),
    q: read("q"),
    hasEmail: hasEmail === "1" || hasEmail === "true" || hasEmail === "on",
    page: read("page") ?? 1,
  };
  return { query, errors };
}

/** The query string for these filters (defaults left out), e.g. for export links and pagination. */
export function shortlistSearch(filters: Partial<ShortlistQuery>): string {
  const search = new URLSearchParams();
  if (filters.date) search.set("date", filters.date);
  if (filters.bucket) search.set("bucket", filters.bucket);
  if (filters.industry) search.set("industry", filters.industry);
  if (filters.hasEmail) search.set("hasEmail", "1");
  if (filters.q) search.set("q", filters.q);
  if (filters.page && filters.page > 1) search.set("page", String(filters.page));
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function isFiltered(filters: ShortlistFilters): boolean {
  return Boolean(filters.bucket || filters.industry || filters.hasEmail || filters.q);
}
