import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { db } from "~/db.server";
import { apiError } from "~/http.server";
import { decodeFeedCursor, encodeFeedCursor } from "~/lake/feed-cursor";
import { LAKE_SOURCES } from "~/lake/pipeline";
import { SYNC_HISTORY_MAX, syncHistory } from "~/lake/sync-status.server";
import { formatZodIssues } from "~/utils/zod-issues";

const HistoryQuery = z
  .object({
    source: z.enum(LAKE_SOURCES).optional(),
    /** The `next_cursor` of the previous page. */
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(SYNC_HISTORY_MAX).default(20),
  })
  .strict();

/** The caller's sync runs newest first, with counts, errors and their first rejects; `next_cursor` is null on the last page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  // An empty parameter (`?cursor=`) is the same as none.
  const given = [...new URL(request.url).searchParams].filter(([, value]) => value !== "");
  const query = HistoryQuery.safeParse(Object.fromEntries(given));
  if (!query.success) return apiError(400, "invalid_query", formatZodIssues(query.error, "(query)"));
  const { source, limit } = query.data;
  const cursor = query.data.cursor ? decodeFeedCursor(query.data.cursor) : null;
  if (query.data.cursor && !cursor) return apiError(400, "invalid_cursor", "cursor is not a next_cursor this API gave out");
  const page = await db.$withTenant(viewer.tenant.id, (tx) => syncHistory(tx, { source, cursor, limit }));
  return Response.json({ runs: page.runs, next_cursor: page.next ? encodeFeedCursor(page.next) : null }, { headers: { "Cache-Control": "no-store" } });
}
