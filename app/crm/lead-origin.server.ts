import { type TenantTx } from "~/db.server";
import { readBreakdown } from "~/shortlist/breakdown";
import { type LeadOrigin } from "./lead-origin";

/**
 * Where an opportunity came from when the lead engine found it: the pushed
 * lead it belongs to (`lake_pushed_lead_opportunities`), with the score,
 * bucket, rationale and score breakdown of the run that first pushed it.
 * Null for a deal the lead engine had no part in, and for one the caller's
 * scope hides.
 */
export async function leadOriginOf(tx: TenantTx, opportunityId: string): Promise<LeadOrigin | null> {
  const [row] = await tx.$queryRaw<Array<Omit<LeadOrigin, "breakdown" | "pushedAt"> & { pushedAt: Date; breakdown: unknown }>>`
    SELECT v.uen, v.run_id::text AS "runId", r.run_date::text AS "runDate", r.icp_version AS "icpVersion",
           v.pushed_at AS "pushedAt", v.matched_by AS "matchedBy",
           s.score::float8 AS score, s.bucket, s.rationale, s.breakdown
    FROM lake_pushed_lead_opportunities v
    JOIN runs r ON r.tenant_id = v.tenant_id AND r.id = v.run_id
    JOIN lead_scores s ON s.tenant_id = v.tenant_id AND s.run_id = v.run_id AND s.uen = v.uen
    WHERE v.opportunity_id = ${opportunityId}::uuid`;
  if (!row) return null;
  return { ...row, pushedAt: row.pushedAt.toISOString(), breakdown: readBreakdown(row.breakdown) };
}
