import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { type LakeAccess, seesLakeRows } from "~/lake/hierarchy";
import { listOpportunities } from "~/lake/opportunities.server";
import { decodeOpportunityCursor, type OpportunityPosition } from "~/lake/opportunity-cursor";
import { ownedBy } from "~/lake/serving-reads.server";
import { maskName } from "~/privacy/mask";
import { formatZodIssues } from "~/utils/zod-issues";
import { givenParams, OpportunityListQuery, opportunityFiltersOf, type OpportunityListParams } from "./opportunity-query";

/**
 * The deal list from a URL's query, as the Opportunities page and GET
 * /api/opportunities both answer it: parsed once (a bad query is a problem
 * to report, not an exception), then read in the caller's hierarchy scope.
 */
export type ParsedOpportunityList =
  { ok: true; query: OpportunityListParams; position: OpportunityPosition | null } | { ok: false; code: "invalid_query" | "invalid_cursor"; message: string };

export function parseOpportunityList(search: URLSearchParams): ParsedOpportunityList {
  const parsed = OpportunityListQuery.safeParse(givenParams(search));
  if (!parsed.success) return { ok: false, code: "invalid_query", message: formatZodIssues(parsed.error, "(query)") };
  const query = parsed.data;
  const position = query.cursor ? decodeOpportunityCursor(query.sort, query.cursor) : null;
  if (query.cursor && !position) return { ok: false, code: "invalid_cursor", message: "The cursor is not one this list made for this sort" };
  return { ok: true, query, position };
}

export function readOpportunityList(tx: TenantTx, access: LakeAccess, list: Extract<ParsedOpportunityList, { ok: true }>) {
  const { query, position } = list;
  return listOpportunities(tx, access, { sort: query.sort, cursor: position, limit: query.limit, filters: opportunityFiltersOf(query) });
}

export type FilterOption = { value: string; label: string };

/**
 * What the filter form offers: the stages of the caller's deals (from the
 * serving zone, a few rows however many deals there are), the owners whose
 * deals they see and the sales teams.
 */
export async function opportunityFilterOptions(tx: TenantTx, access: LakeAccess): Promise<{ stages: string[]; owners: FilterOption[]; teams: FilterOption[] }> {
  const stages = await tx.$queryRaw<Array<{ stage: string }>>`
    SELECT DISTINCT stage FROM lake_pipeline_summary WHERE ${ownedBy(access.scope, Prisma.sql`owner_id`)} ORDER BY stage`;
  const owners = await tx.$queryRaw<FilterOption[]>`
    SELECT id::text AS value, name AS label FROM lake_users
    WHERE deleted_at IS NULL AND ${ownedBy(access.scope, Prisma.sql`id`)} ORDER BY name, id`;
  const teams = await tx.$queryRaw<FilterOption[]>`SELECT id::text AS value, name AS label FROM lake_teams WHERE deleted_at IS NULL ORDER BY name, id`;
  const full = seesLakeRows(access);
  return {
    stages: stages.map((row) => row.stage),
    owners: full ? owners : owners.map((owner) => ({ ...owner, label: maskName(owner.label) })),
    teams,
  };
}
