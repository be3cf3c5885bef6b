import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { eventStreamsGate } from "~/http/open-streams.server";
import { apiError } from "~/http.server";
import { resumePoint, runEventStream } from "~/runs/run-event-stream.server";
import { runProgress } from "~/runs/run-events.server";

/**
 * Server-Sent Events for one run of the caller's tenant (the events are
 * described in ~/runs/run-events): every step, resumable with Last-Event-ID,
 * and the run's counters, ending with `done` once the run has finished.
 * Works with the session cookie or a bearer token, like every /api route.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const runId = z.uuid().safeParse(params.id);
  if (!runId.success) return apiError(404, "not_found", "No such run");
  const tenantId = viewer.tenant.id;
  const initial = await runProgress(tenantId, runId.data);
  if (!initial) return apiError(404, "not_found", "No such run");

  const slot = eventStreamsGate().enter(viewer.sub);
  if ("refused" in slot) {
    return apiError(429, "too_many_streams", "Close one of your open live-progress streams first", { retryAfter: 5 }, { "Retry-After": "5" });
  }

  const afterId = resumePoint(request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId"));
  const stream = runEventStream({ tenantId, runId: runId.data, afterId, signal: request.signal, onClose: () => slot.release() });

  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
