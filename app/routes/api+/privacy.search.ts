import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { apiError } from "~/http.server";
import { parseSubjectQuery } from "~/privacy/subject-query";
import { recordCounts, searchDataSubject } from "~/privacy/subject-search.server";

/** GET /api/privacy/search?q=<email, full name or LinkedIn URL>: everything the workspace holds about the person (admins; cookie or bearer). */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  const parsed = parseSubjectQuery(new URL(request.url).searchParams.get("q") ?? "");
  if (!parsed.ok) return apiError(400, "invalid_query", parsed.reason);
  const records = await searchDataSubject(viewer.tenant.id, parsed.query);
  return Response.json({ counts: recordCounts(records), ...records }, { headers: { "Cache-Control": "no-store" } });
}
