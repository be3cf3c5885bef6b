import { env } from "~/env.server";
import { gate } from "./concurrency.server";

/** Exports streaming at once: per user, and never more than the export pool has connections. */
export const exportsGate = () => gate("exports", () => env().EXPORTS_PER_USER, () => env().EXPORT_POOL_SIZE);

/** Live-progress streams open at once per user. */
export const eventStreamsGate = () => gate("event-streams", () => env().EVENT_STREAMS_PER_USER);
