import { type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { apiError } from "~/http.server";
import { NothingToEraseError, requestErasure } from "~/privacy/erasure.server";
import { parseSubjectQuery } from "~/privacy/subject-query";

/**
 * POST /api/privacy/erasures with JSON `{ "q": <email, full name or LinkedIn URL> }`:
 * a deletion request (admins). 202 with the request's id; its progress and,
 * once finished, its receipt are at GET /api/privacy/erasures/:id.
 */
const Body = z.object({ q: z.string().max(300) }).strict();

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST");
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  const body = Body.safeParse(await request.json().catch(() => null));
  if (!body.success) return apiError(400, "invalid_body", 'Send JSON { "q": "<email, full name or LinkedIn URL>" }');
  const parsed = parseSubjectQuery(body.data.q);
  if (!parsed.ok) return apiError(400, "invalid_query", parsed.reason);
  try {
    const { id } = await requestErasure(viewer.tenant.id, { sub: viewer.sub, email: viewer.email }, parsed.query);
    return Response.json({ id, status: "queued", url: `/api/privacy/erasures/${id}` }, { status: 202 });
  } catch (error) {
    if (error instanceof NothingToEraseError) return apiError(404, "nothing_found", error.message);
    throw error;
  }
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST");
}
