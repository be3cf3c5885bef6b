import { type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { QuotaExceededError } from "~/billing/quotas";
import { apiError } from "~/http.server";
import { RunAlreadyActiveError, startRun } from "~/runs/start-run.server";
import { formatZodIssues } from "~/utils/zod-issues";

/**
 * Starts a run of the caller's workspace (ops and admins; cookie or bearer):
 * 202 with the run id, whose progress streams from /api/runs/:id/events.
 * 409 while another full run is in progress, 402 once the plan's manual runs for the day are used.
 */
const StartRunBody = z
  .object({
    limit: z.number().int().min(1).max(10_000).optional(),
    include_careers: z.boolean().optional(),
    force_recrawl: z.boolean().optional(),
    include_recent: z.boolean().optional(),
  })
  .strict();

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST");
  const viewer = requireRole(request, await requireTenantUser(request), ["ops", "admin"]);
  const text = await request.text();
  let raw: unknown = {};
  try {
    raw = text.trim() ? JSON.parse(text) : {};
  } catch {
    return apiError(400, "invalid_json", "The body is not JSON");
  }
  const body = StartRunBody.safeParse(raw);
  if (!body.success) {
    return apiError(400, "invalid_body", formatZodIssues(body.error, "(body)"));
  }
  try {
    const { runId } = await startRun(viewer.tenant.id, {
      kind: "manual",
      actor: { sub: viewer.sub, email: viewer.email },
      options: {
        limit: body.data.limit,
        includeCareers: body.data.include_careers,
        forceRecrawl: body.data.force_recrawl,
        includeRecent: body.data.include_recent,
      },
    });
    return Response.json({ run_id: runId, events: `/api/runs/${runId}/events` }, { status: 202 });
  } catch (error) {
    if (error instanceof RunAlreadyActiveError) return apiError(409, "run_in_progress", error.message, { run_id: error.runId });
    if (error instanceof QuotaExceededError) return apiError(402, "quota_exceeded", error.message, { quota: error.quota });
    throw error;
  }
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST");
}
