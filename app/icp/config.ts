import { z } from "zod";

/** Settings of ICP candidate selection, merged into the app's env schema. */
export const icpEnv = z.object({
  /** Fewer candidates than this after a refresh raises an alert (per tenant overridable by `candidateFloor`). */
  ICP_CANDIDATE_FLOOR: z.coerce.number().int().min(0).default(500),
});
