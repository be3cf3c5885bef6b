import { type TenantTx } from "~/db.server";
import { lakeHealth } from "~/lake/lake-status.server";
import { type SourceFreshness } from "./data-as-of";

/** Every connected source's freshness, for the "data as of …" line of a CRM page. */
export async function crmFreshness(tx: TenantTx, now = new Date()): Promise<SourceFreshness[]> {
  const sources = await lakeHealth(tx, now);
  return sources
    .filter((source) => source.status !== "not_connected")
    .map(({ source, lastSuccessAt, freshness, ageMinutes, freshnessSlaMinutes }) => ({
      source,
      lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
      freshness,
      ageMinutes,
      freshnessSlaMinutes,
    }));
}
