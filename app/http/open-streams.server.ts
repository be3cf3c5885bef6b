import { env } from "~/env.server";
import { apiError } from "~/http.server";
import { gate } from "./concurrency.server";

/** Exports being downloaded at once: per user, and never more than the export pool has connections. */
const exportsGate = () =>
  gate(
    "exports",
    () => env().EXPORTS_PER_USER,
    () => env().EXPORT_POOL_SIZE,
  );

/** The answer to an export the gate turned away: the user's own slots are taken (429), or every slot is (503). */
function exportRefused(refused: "key" | "overall"): Response {
  return refused === "key"
    ? apiError(429, "too_many_exports", "Finish or cancel one of your running exports first", { retryAfter: 5 }, { "Retry-After": "5" })
    : apiError(503, "exports_busy", "Every export slot is busy; try again shortly", { retryAfter: 5 }, { "Retry-After": "5" });
}

/**
 * Exports one tenant's users download at once (per web process): a slow
 * download holds a transaction and a connection of the export pool, so one
 * team can never take every slot.
 */
const tenantExportsGate = () => gate("tenant-exports", () => env().EXPORTS_PER_TENANT);

/**
 * A slot for one download, held against the user's, the pool's and the
 * tenant's caps; when any is full, the answer saying which instead.
 */
export function enterExportSlot(tenantId: string, userSub: string): { release: () => void } | { refusal: Response } {
  const own = exportsGate().enter(userSub);
  if ("refused" in own) return { refusal: exportRefused(own.refused) };
  const team = tenantExportsGate().enter(tenantId);
  if ("refused" in team) {
    own.release();
    return {
      refusal: apiError(
        429,
        "team_exports_busy",
        "Your team is already downloading as many exports as it may at once; try again when one finishes",
        { retryAfter: 5 },
        { "Retry-After": "5" },
      ),
    };
  }
  return {
    release: () => {
      own.release();
      team.release();
    },
  };
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
