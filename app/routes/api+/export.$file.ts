import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { recordExport } from "~/exports/export-quota.server";
import { exportFilename } from "~/exports/shortlist-export";
import { findExportRun, shortlistExportStream, type ExportFormat, type ExportKind } from "~/exports/shortlist-export.server";
import { enterExportSlot, releasedWhenRead } from "~/http/open-streams.server";
import { limitUser } from "~/http/rate-limit.server";
import { apiError } from "~/http.server";
import { seesPersonalData } from "~/privacy/mask";
import { parseShortlistSearch } from "~/shortlist/shortlist-query";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * GET /api/export/shortlist.(csv|json)?date=&bucket=&industry=&hasEmail=&q=&limit=
 * and /api/export/latest_scores.(csv|json) (the newest shortlist,
 * whatever its day). Cookie or bearer; rows of the caller's tenant only (RLS);
 * streamed; personal data masked for viewers. Each download counts against
 * the plan's exports per month (402 `quota_exceeded` once they are used up).
 */
const ExportFile = z.enum(["shortlist.csv", "shortlist.json", "latest_scores.csv", "latest_scores.json"]);
const Limit = z.coerce.number().int().min(1).max(1_000_000);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const file = ExportFile.safeParse(params.file);
  if (!file.success) return apiError(404, "not_found", "Exports are shortlist.csv, shortlist.json, latest_scores.csv and latest_scores.json");
  const [kind, format] = file.data.split(".") as [ExportKind, ExportFormat];

  const search = new URL(request.url).searchParams;
  const { query, errors } = parseShortlistSearch(search);
  const limitParam = search.get("limit");
  const limit = limitParam === null || limitParam === "" ? null : Limit.safeParse(limitParam);
  const problems: Record<string, string> = { ...errors };
  if (limit && !limit.success) problems.limit = "limit must be a whole number from 1 to 1000000";
  delete problems.page;
  if (Object.keys(problems).length) return apiError(400, "invalid_query", "Some query parameters are not valid", { fields: problems });

  const tenant = viewer.tenant;
  const date = query.date ?? singaporeDate(new Date());
  const run = await findExportRun(tenant.id, kind, date);
  if (!run) {
    return apiError(404, "no_shortlist", kind === "latest_scores" ? "No run has finished for this workspace yet" : `No finished run for ${date}`, {
      date: kind === "latest_scores" ? null : date,
    });
  }
  await limitUser(request, "export", viewer.sub);
  const slot = enterExportSlot(tenant.id, viewer.sub);
  if ("refusal" in slot) return slot.refusal;
  const masked = !seesPersonalData(viewer.roles);
  // Counted against the plan's exports; a data-subject search lists the downloads of runs that scored the person's company.
  const refused = await recordExport(tenant.id, { sub: viewer.sub, email: viewer.email }, `run:${run.id}`, { runId: run.id, file: file.data, masked });
  if (refused) {
    slot.release();
    return refused;
  }
  const body = shortlistExportStream(tenant.id, run, { filters: query, limit: limit?.data ?? null, format, masked, tenantSlug: tenant.slug, kind });
  // The slot is the user's until the download is read to the end or abandoned.
  return new Response(releasedWhenRead(body, slot.release), {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFilename(tenant.slug, kind, run.runDate, format)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
