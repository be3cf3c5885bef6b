import { z } from "zod";
import { isCalendarMonth } from "~/utils/calendar-day";
import { formatZodIssues } from "~/utils/zod-issues";
import { type LeadOutcomesQuery } from "./lead-outcomes";

// Year 0000 passes the pattern but fails the query.
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: "expected a month as YYYY-MM", abort: true })
  .refine(isCalendarMonth, "expected a month from 0001-01 to 9999-12");

const LeadOutcomesParams = z
  .object({
    from: month.optional(),
    to: month.optional(),
    icp_version: z.coerce.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] });

/** The page's and the API's query parameters (an empty one counts as absent); the message lists every problem. */
export function parseLeadOutcomesQuery(params: URLSearchParams): { ok: true; query: LeadOutcomesQuery } | { ok: false; message: string } {
  const given = [...params].filter(([, value]) => value !== "");
  const parsed = LeadOutcomesParams.safeParse(Object.fromEntries(given));
  if (!parsed.success) return { ok: false, message: formatZodIssues(parsed.error, "(query)") };
  const { from, to, icp_version: icpVersion } = parsed.data;
  return { ok: true, query: { from, to, icpVersion } };
}
