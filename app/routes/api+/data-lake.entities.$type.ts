import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { apiError } from "~/http.server";
import { ENTITY_PAGE_MAX, ENTITY_TYPES, entityKindOf, listEntities } from "~/lake/entities.server";
import { maskPersonalEntity } from "~/lake/entity-privacy";
import { seesLakeRows } from "~/lake/hierarchy";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { formatZodIssues } from "~/utils/zod-issues";

const EntitiesQuery = z
  .object({
    /** The `next_cursor` of the previous page. */
    cursor: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(ENTITY_PAGE_MAX).default(50),
    q: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/**
 * A page of the caller's canonical entities of one type, ordered by id, each
 * with its source references; `next_cursor` is null on the last page.
 * Opportunities and activities are those the caller's place in the sales
 * hierarchy lets them see. Viewers, and members no lake user matches, see
 * people's names, addresses and numbers and deals' names masked, and no
 * activity's summary.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const type = params.type ?? "";
  const kind = entityKindOf(type);
  if (!kind) return apiError(404, "unknown_type", `No entity type "${type}"; one of ${Object.keys(ENTITY_TYPES).join(", ")}`);
  // An empty parameter (`?cursor=`) is the same as none.
  const given = [...new URL(request.url).searchParams].filter(([, value]) => value !== "");
  const query = EntitiesQuery.safeParse(Object.fromEntries(given));
  if (!query.success) return apiError(400, "invalid_query", formatZodIssues(query.error, "(query)"));
  const { cursor, limit, q } = query.data;
  const { page, full } = await withLakeAccess(viewer, async (tx, access) => ({
    page: await listEntities(tx, kind, { cursor: cursor ?? null, limit, q, scope: access.scope }),
    full: seesLakeRows(access),
  }));
  const items = full ? page.items : page.items.map((item) => maskPersonalEntity(kind, item));
  return Response.json({ type, items, next_cursor: page.nextCursor }, { headers: { "Cache-Control": "no-store" } });
}
