import { env } from "~/env.server";
import { apiError } from "~/http.server";
import { gate } from "./concurrency.server";

/** Exports being downloaded at once: per user, and never more than the export pool has connections. */
export const exportsGate = () =>
  gate(
    "exports",
    () => env().EXPORTS_PER_USER,
    () => env().EXPORT_POOL_SIZE,
  );

/** The answer to an export the gate turned away: the user's own slots are taken (429), or every slot is (503). */
export function exportRefused(refused: "key" | "overall"): Response {
  return refused === "key"
    ? apiError(429, "too_many_exports", "Finish or cancel one of your running exports first", { retryAfter: 5 }, { "Retry-After": "5" })
    : apiError(503, "exports_busy", "Every export slot is busy; try again shortly", { retryAfter: 5 }, { "Retry-After": "5" });
}

/** Live-progress streams open at once per user. */
export const eventStreamsGate = () => gate("event-streams", () => env().EVENT_STREAMS_PER_USER);

/**
 * `body` as it is read, calling `release` once it has been read to the end,
 * has failed, or was cancelled by the client going away. Reads only on
 * demand, so the source's backpressure reaches the client unchanged.
 */
export function releasedWhenRead(body: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await reader.read();
          if (next.done) {
            release();
            controller.close();
          } else controller.enqueue(next.value);
        } catch (error) {
          release();
          controller.error(error);
        }
      },
      cancel(reason) {
        release();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
