import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { CRM_EXPORT_VIEWS, crmExportStream } from "~/crm/csv-export.server";
import { recordExport } from "~/exports/export-quota.server";
import { enterExportSlot, releasedWhenRead } from "~/http/open-streams.server";
import { limitUser } from "~/http/rate-limit.server";
import { apiError } from "~/http.server";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * GET /api/export/crm/<view>.csv with the view's page parameters (the
 * Opportunities page's for `opportunities.csv`). Cookie or bearer; the rows
 * the caller's place in the sales hierarchy lets them see (RLS), streamed,
 * every cell injection-safe, people masked for aggregates-only callers.
 * Recorded in the audit log and counted against the plan's exports per
 * month, like the shortlist's (402 `quota_exceeded` once they are used up).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const name = params.file?.endsWith(".csv") ? params.file.slice(0, -".csv".length) : null;
  const view = name && Object.hasOwn(CRM_EXPORT_VIEWS, name) ? CRM_EXPORT_VIEWS[name] : undefined;
  if (!name || !view)
    return apiError(
      404,
      "not_found",
      `CRM exports are ${Object.keys(CRM_EXPORT_VIEWS)
        .map((v) => `${v}.csv`)
        .join(", ")}`,
    );
  const parsed = view.parse(new URL(request.url).searchParams);
  if (!parsed.ok) return apiError(400, "invalid_query", parsed.message);

  await limitUser(request, "export", viewer.sub);
  const slot = enterExportSlot(viewer.tenant.id, viewer.sub);
  if ("refusal" in slot) return slot.refusal;
  const refused = await recordExport(viewer.tenant.id, { sub: viewer.sub, email: viewer.email }, `crm:${name}`, { file: `crm/${name}.csv` });
  if (refused) {
    slot.release();
    return refused;
  }
  const body = await crmExportStream(viewer, name, view, parsed.query).catch((error: unknown) => {
    slot.release();
    throw error;
  });
  // The slot is the user's until the download is read to the end or abandoned.
  return new Response(releasedWhenRead(body, slot.release), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${viewer.tenant.slug}-${name}-${singaporeDate(new Date())}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
