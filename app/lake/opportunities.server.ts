import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { maskEmail, maskName } from "~/privacy/mask";
import { seesLakeRows, type LakeAccess } from "./hierarchy";
import { encodeOpportunityCursor, type OpportunityPosition, type OpportunitySort } from "./opportunity-cursor";
import { ownedBy } from "./serving-reads.server";

/**
 * The canonical opportunities a caller may see, as a list (keyset-paged,
 * sorted by value or last change) and one at a time. Which rows exist for
 * the caller is the database's decision (the hierarchy policy under the
 * transaction's scope); these reads only filter, sort and mask.
 */

export type OpportunityRow = {
  id: string;
  name: string;
  stage: string;
  stageKind: "lead" | "opportunity";
  outcome: "open" | "won" | "lost";
  value: number;
  probability: number;
  currency: string | null;
  owner: { id: string; name: string | null } | null;
  team: { id: string; name: string | null } | null;
  account: { id: string; name: string | null } | null;
  contact: { id: string; name: string | null; email: string | null } | null;
  deadline: string | null;
  openedAt: Date;
  closedAt: Date | null;
  updatedAt: Date;
  tags: string[];
};

export type OpportunityFilters = { stage?: string; ownerId?: string; teamId?: string };

export const OPPORTUNITY_PAGE_MAX = 200;

type FlatRow = Omit<OpportunityRow, "owner" | "team" | "account" | "contact"> & {
  ownerId: string | null;
  ownerName: string | null;
  teamId: string | null;
  teamName: string | null;
  accountId: string | null;
  accountName: string | null;
  contactId: string | null;
  contactName: string | null;
  contactEmail: string | null;
  sortKey: string;
};

/**
 * Each sort's column, the cursor key a row gives (the amount, or the ISO
 * time) and the column's value for a key. Value sorts use the whole-cents
 * column: bigint comparisons are leakproof, so under row-level security the
 * keyset condition still runs inside the index (numeric's would not).
 */
type SortSpec = { column: Prisma.Sql; key: Prisma.Sql; bound: (key: string) => Prisma.Sql; descending: boolean };
const byValue = (descending: boolean): SortSpec => ({
  column: Prisma.sql`o.value_cents`,
  key: Prisma.sql`o.expected_revenue::text`,
  bound: (key) => Prisma.sql`round(${key}::numeric * 100)::bigint`,
  descending,
});
const byUpdate = (descending: boolean): SortSpec => ({
  column: Prisma.sql`o.updated_at`,
  key: Prisma.sql`to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  bound: (key) => Prisma.sql`${key}::timestamptz`,
  descending,
});
const SORT_COLUMN: Record<OpportunitySort, SortSpec> = { value: byValue(false), "-value": byValue(true), updated: byUpdate(false), "-updated": byUpdate(true) };

function opportunitySelect(sort: OpportunitySort): Prisma.Sql {
  return Prisma.sql`
    SELECT o.id, o.name, COALESCE(o.stage_name, o.stage_kind) AS stage, o.stage_kind AS "stageKind", o.outcome,
           o.expected_revenue::float8 AS value, o.probability, o.currency, o.deadline::text AS deadline,
           o.opened_at AS "openedAt", o.closed_at AS "closedAt", o.updated_at AS "updatedAt", o.tags,
           o.owner_id AS "ownerId", u.name AS "ownerName", o.team_id AS "teamId", t.name AS "teamName",
           o.account_id AS "accountId", a.name AS "accountName", o.contact_id AS "contactId", c.name AS "contactName", c.email AS "contactEmail",
           ${SORT_COLUMN[sort].key} AS "sortKey"
    FROM lake_opportunities o
    LEFT JOIN lake_users u ON u.id = o.owner_id
    LEFT JOIN lake_teams t ON t.id = o.team_id
    LEFT JOIN lake_accounts a ON a.id = o.account_id
    LEFT JOIN lake_contacts c ON c.id = o.contact_id`;
}

function shaped(row: FlatRow, access: LakeAccess): OpportunityRow {
  const { ownerId, ownerName, teamId, teamName, accountId, accountName, contactId, contactName, contactEmail, sortKey: _key, ...rest } = row;
  const full = seesLakeRows(access);
  const masked = (name: string | null) => (name && !full ? maskName(name) : name);
  return {
    ...rest,
    name: full ? rest.name : maskName(rest.name),
    owner: ownerId ? { id: ownerId, name: masked(ownerName) } : null,
    team: teamId ? { id: teamId, name: teamName } : null,
    account: accountId ? { id: accountId, name: accountName } : null,
    contact: contactId ? { id: contactId, name: masked(contactName), email: contactEmail && !full ? maskEmail(contactEmail) : contactEmail } : null,
  };
}

/** A page of the opportunities the transaction's scope lets through, after `cursor`; `nextCursor` is null on the last page. */
export async function listOpportunities(
  tx: TenantTx,
  access: LakeAccess,
  query: { sort: OpportunitySort; cursor: OpportunityPosition | null; limit: number; filters?: OpportunityFilters },
): Promise<{ items: OpportunityRow[]; nextCursor: string | null }> {
  const { column, bound, descending } = SORT_COLUMN[query.sort];
  const filters = query.filters ?? {};
  // The policy decides; the same owners in the query let a rep's page use the owner index.
  const where = [Prisma.sql`o.deleted_at IS NULL`, ownedBy(access.scope, Prisma.sql`o.owner_id`)];
  if (filters.stage) where.push(Prisma.sql`COALESCE(o.stage_name, o.stage_kind) = ${filters.stage}`);
  if (filters.ownerId) where.push(Prisma.sql`o.owner_id = ${filters.ownerId}::uuid`);
  if (filters.teamId) where.push(Prisma.sql`o.team_id = ${filters.teamId}::uuid`);
  if (query.cursor) {
    const after = Prisma.sql`(${column}, o.id) ${Prisma.raw(descending ? "<" : ">")} (${bound(query.cursor.key)}, ${query.cursor.id}::uuid)`;
    where.push(after);
  }
  const direction = Prisma.raw(descending ? "DESC" : "ASC");
  const rows = await tx.$queryRaw<FlatRow[]>`
    ${opportunitySelect(query.sort)} WHERE ${Prisma.join(where, " AND ")}
    ORDER BY ${column} ${direction}, o.id ${direction} LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => shaped(row, access)),
    nextCursor: rows.length > query.limit && last ? encodeOpportunityCursor(query.sort, { key: last.sortKey, id: last.id }) : null,
  };
}

/** One opportunity still in its source; null when there is none the scope lets through. */
export async function opportunityDetail(tx: TenantTx, access: LakeAccess, id: string): Promise<OpportunityRow | null> {
  const [row] = await tx.$queryRaw<FlatRow[]>`${opportunitySelect("-updated")} WHERE o.id = ${id}::uuid AND o.deleted_at IS NULL`;
  return row ? shaped(row, access) : null;
}
