import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { apiError } from "~/http.server";
import { eventStreamsGate } from "~/http/open-streams.server";
import { log } from "~/logger.server";
import { eventsAfter, runProgress, subscribeToRun } from "~/runs/run-events.server";
import { isRunFinished } from "~/runs/run-vocabulary";

/**
 * Server-Sent Events for one run of the caller's tenant: every step event
 * (`event: step`, id = its row id, so a reconnect resumes with
 * Last-Event-ID) and the run's counters (`event: progress`). Ends with
 * `event: done` once the run has finished. Works with the session cookie or a
 * bearer token, like every /api route.
 */
const HEARTBEAT_MS = 15_000;
const READ_RETRY_MS = 2_000;

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

  const resumeFrom = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  let lastId = /^\d{1,18}$/.test(resumeFrom ?? "") ? BigInt(resumeFrom!) : 0n;
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let busy = false;
      let again = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        slot.release();
        clearInterval(heartbeat);
        unsubscribe?.();
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };

      // Reads and sends everything new; wake-ups during a flush are folded into one more pass.
      const flush = async () => {
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        try {
          const sendNewEvents = async () => {
            for (;;) {
              const events = await eventsAfter(tenantId, runId.data, lastId);
              for (const event of events) {
                lastId = BigInt(event.id);
                send(`id: ${event.id}\nevent: step\ndata: ${JSON.stringify(event)}\n\n`);
              }
              if (events.length < 500) break;
            }
          };
          do {
            again = false;
            await sendNewEvents();
            const progress = await runProgress(tenantId, runId.data);
            if (progress) {
              const finished = isRunFinished(progress.status);
              // The run may have finished, with its last events, after the read above.
              if (finished) await sendNewEvents();
              send(`event: progress\ndata: ${JSON.stringify(progress)}\n\n`);
              if (finished) {
                send(`event: done\ndata: ${JSON.stringify({ status: progress.status })}\n\n`);
                close();
                return;
              }
            }
          } while (again && !closed);
        } catch (error) {
          // Postgres away for a moment (a restart, a failover): keep the stream and read again shortly.
          log().warn({ err: error, runId: runId.data }, "run event stream could not read; retrying");
          if (!closed) setTimeout(() => void flush(), READ_RETRY_MS).unref();
        } finally {
          busy = false;
        }
      };

      const heartbeat = setInterval(() => send(`: keep-alive\n\n`), HEARTBEAT_MS);
      let unsubscribe: (() => void) | undefined;
      request.signal.addEventListener("abort", close);
      send(`retry: 2000\n\n`);
      unsubscribe = await subscribeToRun(runId.data, () => void flush());
      if (closed) return unsubscribe();
      await flush();
    },
  });

  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
