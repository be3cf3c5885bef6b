import { type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { db } from "~/db.server";
import { apiError } from "~/http.server";
import { LAKE_SOURCES, SYNC_MODES } from "~/lake/pipeline";
import { SourceNotConnectedError, triggerSync } from "~/lake/sync-status.server";
import { formatZodIssues } from "~/utils/zod-issues";

const TriggerBody = z.object({ source: z.enum(LAKE_SOURCES), mode: z.enum(SYNC_MODES) }).strict();

/**
 * Queues a sync of one source of the caller's lake (admins; cookie or
 * bearer): 202 with its id, or with the one already queued or running and
 * `alreadyActive`; 409 when the source is not connected.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST");
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  let raw: unknown;
  try {
    raw = JSON.parse(await request.text());
  } catch {
    return apiError(400, "invalid_json", "The body is not JSON");
  }
  const body = TriggerBody.safeParse(raw);
  if (!body.success) return apiError(400, "invalid_body", formatZodIssues(body.error, "(body)"));
  try {
    const requested = await db.$withTenant(viewer.tenant.id, (tx) =>
      triggerSync(tx, viewer.tenant.id, { ...body.data, trigger: "api", requestedBy: viewer.email }),
    );
    return Response.json(requested, { status: 202, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof SourceNotConnectedError) return apiError(409, "source_not_connected", error.message, { source: error.source });
    throw error;
  }
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST");
}
