import { log } from "~/logger.server";
import { formatRunStreamEvent, type RunStreamEvent } from "./run-events";
import { eventsAfter, runProgress, subscribeToRun } from "./run-events.server";
import { isRunFinished } from "./run-vocabulary";

const HEARTBEAT_MS = 15_000;
const READ_RETRY_MS = 2_000;
const PAGE_SIZE = 500;

/** The step id a client resumes after (Last-Event-ID or ?lastEventId=); anything else starts from the beginning. */
export function resumePoint(lastEventId: string | null): bigint {
  return lastEventId !== null && /^\d{1,18}$/.test(lastEventId) ? BigInt(lastEventId) : 0n;
}

/**
 * The live stream of one run: every step after `afterId`, then the run's
 * counters, again whenever the run's listener wakes it, until the run has
 * finished (`done`) or the client goes away (`signal`). `onClose` runs once,
 * however it ends.
 */
export function runEventStream(options: {
  tenantId: string;
  runId: string;
  afterId: bigint;
  signal: AbortSignal;
  onClose: () => void;
}): ReadableStream<Uint8Array> {
  const { tenantId, runId, signal } = options;
  let lastId = options.afterId;
  const encoder = new TextEncoder();

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let busy = false;
      let again = false;
      const sendText = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const send = (event: RunStreamEvent) => sendText(formatRunStreamEvent(event));
      const close = () => {
        if (closed) return;
        closed = true;
        options.onClose();
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
              const events = await eventsAfter(tenantId, runId, lastId, PAGE_SIZE);
              for (const event of events) {
                lastId = BigInt(event.id);
                send({ type: "step", data: event });
              }
              if (events.length < PAGE_SIZE) break;
            }
          };
          do {
            again = false;
            await sendNewEvents();
            const progress = await runProgress(tenantId, runId);
            if (progress) {
              const finished = isRunFinished(progress.status);
              // The run may have finished, with its last events, after the read above.
              if (finished) await sendNewEvents();
              send({ type: "progress", data: progress });
              if (finished) {
                send({ type: "done", data: { status: progress.status } });
                close();
                return;
              }
            }
          } while (again && !closed);
        } catch (error) {
          // Postgres away for a moment (a restart, a failover): keep the stream and read again shortly.
          log().warn({ err: error, runId }, "run event stream could not read; retrying");
          if (!closed) setTimeout(() => void flush(), READ_RETRY_MS).unref();
        } finally {
          busy = false;
        }
      };

      const heartbeat = setInterval(() => sendText(`: keep-alive\n\n`), HEARTBEAT_MS);
      let unsubscribe: (() => void) | undefined;
      signal.addEventListener("abort", close);
      sendText(`retry: 2000\n\n`);
      unsubscribe = await subscribeToRun(runId, () => void flush());
      if (closed) return unsubscribe();
      await flush();
    },
  });
}
