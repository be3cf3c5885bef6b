import { pushedDealCondition } from "~/crm/lead-outcomes.server";
import { OPPORTUNITY_PAGE_MAX, type OpportunityFilters } from "~/crm/opportunity-query";
import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { maskEmail, maskName, maskPhone } from "~/privacy/mask";
import { singaporeDate } from "~/utils/singapore-time";
import { seesLakeRows, type LakeAccess } from "./hierarchy";
import { encodeOpportunityCursor, sortKeyOf, type OpportunityPosition, type OpportunitySort, type OpportunitySortKey } from "./opportunity-cursor";
import { ownedBy } from "./serving-reads.server";

/**
 * The canonical opportunities a caller may see, as a list (keyset-paged,
 * sorted by value, probability, age in stage, last touch, expected closing
 * or last change) and one at a time. Which rows exist for
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
  /** When the deal entered its stage (its opening when the source never said), and whole days since. */
  stageEnteredAt: Date;
  ageInStageDays: number;
  /** The latest done activity about the deal. */
  lastTouchAt: Date | null;
  /** The earliest planned activity about the deal (overdue ones included). */
  nextActivity: { at: Date; type: string; summary: string | null } | null;
};

export { OPPORTUNITY_PAGE_MAX, type OpportunityFilters };

type FlatRow = Omit<OpportunityRow, "owner" | "team" | "account" | "contact" | "nextActivity"> & {
  ownerId: string | null;
  ownerName: string | null;
  teamId: string | null;
  teamName: string | null;
  accountId: string | null;
  accountName: string | null;
  contactId: string | null;
  contactName: string | null;
  contactEmail: string | null;
  nextAt: Date | null;
  nextType: string | null;
  nextSummary: string | null;
  sortKey: string;
};

/** A sort's column, the cursor key a row gives, and the column's value for a key. */
type SortColumn = { column: Prisma.Sql; key: Prisma.Sql; bound: (key: string) => Prisma.Sql; ascending: "ASC" | "DESC" };

const cast = (type: string) => (key: string) => Prisma.sql`${key}::${Prisma.raw(type)}`;

const isoKey = (column: Prisma.Sql) => Prisma.sql`to_char((${column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Each sort key as the expression the migration indexes. Unknown values sort
 * as a fixed far day, so keyset pages never meet a NULL: a deal never
 * touched as touched in 1970, one without a deadline as closing in 9999,
 * one whose stage change is unknown as in its stage since it opened. Age in
 * stage ascending is the latest stage change first. Value sorts use the
 * whole-cents column: bigint comparisons are leakproof, so under row-level
 * security the keyset condition still runs inside the index (numeric's would not).
 */
const SORT_KEYS: Record<OpportunitySortKey, SortColumn> = {
  value: {
    column: Prisma.sql`o.value_cents`,
    key: Prisma.sql`o.expected_revenue::text`,
    bound: (key) => Prisma.sql`round(${key}::numeric * 100)::bigint`,
    ascending: "ASC",
  },
  probability: { column: Prisma.sql`o.probability`, key: Prisma.sql`o.probability::text`, bound: cast("float8"), ascending: "ASC" },
  age: {
    column: Prisma.sql`COALESCE(o.stage_entered_at, o.opened_at)`,
    key: isoKey(Prisma.sql`COALESCE(o.stage_entered_at, o.opened_at)`),
    bound: cast("timestamptz"),
    ascending: "DESC",
  },
  last_touch: {
    column: Prisma.sql`COALESCE(o.last_touch_at, '1970-01-01 00:00:00+00'::timestamptz)`,
    key: isoKey(Prisma.sql`COALESCE(o.last_touch_at, '1970-01-01 00:00:00+00'::timestamptz)`),
    bound: cast("timestamptz"),
    ascending: "ASC",
  },
  deadline: {
    column: Prisma.sql`COALESCE(o.deadline, '9999-12-31'::date)`,
    key: Prisma.sql`COALESCE(o.deadline, '9999-12-31'::date)::text`,
    bound: cast("date"),
    ascending: "ASC",
  },
  updated: { column: Prisma.sql`o.updated_at`, key: isoKey(Prisma.sql`o.updated_at`), bound: cast("timestamptz"), ascending: "ASC" },
};

function sortColumn(sort: OpportunitySort): SortColumn {
  const base = SORT_KEYS[sortKeyOf(sort)];
  if (!sort.startsWith("-")) return base;
  return { ...base, ascending: base.ascending === "ASC" ? "DESC" : "ASC" };
}

function opportunitySelect(sort: OpportunitySort): Prisma.Sql {
  return Prisma.sql`
    SELECT o.id, o.name, COALESCE(o.stage_name, o.stage_kind) AS stage, o.stage_kind AS "stageKind", o.outcome,
           o.expected_revenue::float8 AS value, o.probability, o.currency, o.deadline::text AS deadline,
           o.opened_at AS "openedAt", o.closed_at AS "closedAt", o.updated_at AS "updatedAt", o.tags,
           COALESCE(o.stage_entered_at, o.opened_at) AS "stageEnteredAt",
           GREATEST(0, floor(extract(epoch FROM now() - COALESCE(o.stage_entered_at, o.opened_at)) / 86400))::int AS "ageInStageDays",
           o.last_touch_at AS "lastTouchAt", n.at AS "nextAt", n.activity_type AS "nextType", n.summary AS "nextSummary",
           o.owner_id AS "ownerId", u.name AS "ownerName", o.team_id AS "teamId", t.name AS "teamName",
           o.account_id AS "accountId", a.name AS "accountName", o.contact_id AS "contactId", c.name AS "contactName", c.email AS "contactEmail",
           ${sortColumn(sort).key} AS "sortKey"
    FROM lake_opportunities o
    LEFT JOIN lake_users u ON u.id = o.owner_id
    LEFT JOIN lake_teams t ON t.id = o.team_id
    LEFT JOIN lake_accounts a ON a.id = o.account_id
    LEFT JOIN lake_contacts c ON c.id = o.contact_id
    LEFT JOIN LATERAL (
      SELECT x.at, x.activity_type, x.summary FROM lake_activities x
      WHERE x.about_kind = 'opportunity' AND x.about_id = o.id AND x.state = 'planned' AND x.active AND x.deleted_at IS NULL
      ORDER BY x.at, x.id LIMIT 1
    ) n ON TRUE`;
}

function shaped(row: FlatRow, access: LakeAccess): OpportunityRow {
  const {
    ownerId,
    ownerName,
    teamId,
    teamName,
    accountId,
    accountName,
    contactId,
    contactName,
    contactEmail,
    nextAt,
    nextType,
    nextSummary,
    sortKey: _key,
    ...rest
  } = row;
  const full = seesLakeRows(access);
  const masked = (name: string | null) => (name && !full ? maskName(name) : name);
  return {
    ...rest,
    name: full ? rest.name : maskName(rest.name),
    owner: ownerId ? { id: ownerId, name: masked(ownerName) } : null,
    team: teamId ? { id: teamId, name: teamName } : null,
    account: accountId ? { id: accountId, name: accountName } : null,
    contact: contactId ? { id: contactId, name: masked(contactName), email: contactEmail && !full ? maskEmail(contactEmail) : contactEmail } : null,
    nextActivity: nextAt && nextType ? { at: nextAt, type: nextType, summary: nextSummary } : null,
  };
}

/** The first day of a Singapore month (YYYY-MM) as an instant: Singapore is UTC+8 all year. */
const monthStart = (month: string) => Prisma.sql`(${`${month}-01T00:00:00+08:00`}::timestamptz)`;

/** The filters as conditions on `o`; `today` is the Singapore calendar day the closing filters count from. */
export function opportunityConditions(filters: OpportunityFilters, today: string): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filters.stage) where.push(Prisma.sql`COALESCE(o.stage_name, o.stage_kind) = ${filters.stage}`);
  if (filters.ownerId) where.push(Prisma.sql`o.owner_id = ${filters.ownerId}::uuid`);
  if (filters.teamId) where.push(Prisma.sql`o.team_id = ${filters.teamId}::uuid`);
  if (filters.tag) where.push(Prisma.sql`o.tags @> ARRAY[${filters.tag}]::text[]`);
  if (filters.outcome) where.push(Prisma.sql`o.outcome = ${filters.outcome}`);
  if (filters.closing === "this_month") {
    where.push(Prisma.sql`o.outcome = 'open' AND o.deadline >= date_trunc('month', ${today}::date)::date
      AND o.deadline < (date_trunc('month', ${today}::date) + interval '1 month')::date`);
  }
  if (filters.closing === "overdue") where.push(Prisma.sql`o.outcome = 'open' AND o.deadline < ${today}::date`);
  if (filters.openedFrom) where.push(Prisma.sql`o.opened_at >= ${monthStart(filters.openedFrom)}`);
  if (filters.openedTo) where.push(Prisma.sql`o.opened_at < ${monthStart(filters.openedTo)} + interval '1 month'`);
  if (filters.pushed) where.push(pushedDealCondition(filters.pushed));
  return where;
}

export type OpportunityListQuery = {
  sort: OpportunitySort;
  cursor: OpportunityPosition | null;
  limit: number;
  filters?: OpportunityFilters;
  /** The Singapore day "this month" and "overdue" count from; today unless a test says. */
  today?: string;
};

/** A page of the opportunities the transaction's scope lets through, after `cursor`; `nextCursor` is null on the last page. */
export async function listOpportunities(
  tx: TenantTx,
  access: LakeAccess,
  query: OpportunityListQuery,
): Promise<{ items: OpportunityRow[]; nextCursor: string | null }> {
  const { column, bound, ascending } = sortColumn(query.sort);
  // The policy decides; the same owners in the query let a rep's page use the owner indexes.
  const where = [
    Prisma.sql`o.deleted_at IS NULL`,
    ownedBy(access.scope, Prisma.sql`o.owner_id`),
    ...opportunityConditions(query.filters ?? {}, query.today ?? singaporeDate(new Date())),
  ];
  if (query.cursor) {
    const after = Prisma.sql`(${column}, o.id) ${Prisma.raw(ascending === "ASC" ? ">" : "<")} (${bound(query.cursor.key)}, ${query.cursor.id}::uuid)`;
    where.push(after);
  }
  const direction = Prisma.raw(ascending);
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

/** Where a timeline entry came from: Odoo's activities and chatter, or an Outlook calendar. */
export type TimelineSource = "odoo" | "m365";

export type TimelineEntry = {
  id: string;
  type: string;
  summary: string | null;
  state: "planned" | "done";
  at: Date;
  source: TimelineSource | null;
  owner: string | null;
};

export type DealAccount = {
  id: string;
  name: string;
  uen: string | null;
  domain: string | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  countryCode: string | null;
  tags: string[];
};

export type DealContact = { id: string; name: string; email: string | null; phone: string | null; jobTitle: string | null; isDealContact: boolean };

/** An opportunity with what its page shows: the timeline, the account and the people. */
export type OpportunityFile = OpportunityRow & { timeline: TimelineEntry[]; accountDetails: DealAccount | null; contacts: DealContact[] };

/** How many timeline entries a deal's page shows, newest first. */
export const TIMELINE_MAX = 200;

/**
 * The deal's contacts: the deal's own contact and the people of its account,
 * the deal's contact first.
 */
async function dealContacts(tx: TenantTx, deal: OpportunityRow): Promise<DealContact[]> {
  return tx.$queryRaw<DealContact[]>`
    SELECT c.id, c.name, c.email, c.phone, c.job_title AS "jobTitle", c.id = ${deal.contact?.id ?? null}::uuid IS TRUE AS "isDealContact"
    FROM lake_contacts c
    WHERE c.deleted_at IS NULL AND (c.id = ${deal.contact?.id ?? null}::uuid OR c.account_id = ${deal.account?.id ?? null}::uuid)
    ORDER BY "isDealContact" DESC, c.name, c.id LIMIT 50`;
}

/**
 * The deal's timeline: the activities about it (Odoo's planned activities and
 * done ones), and the Outlook meetings one of its contacts was invited to
 * since the deal opened, newest first. Outlook events name no deal; their
 * attendees' addresses are what tie them to one.
 */
async function dealTimeline(tx: TenantTx, deal: OpportunityRow, emails: string[]): Promise<TimelineEntry[]> {
  return tx.$queryRaw<TimelineEntry[]>`
    WITH entries AS (
      SELECT a.id FROM lake_activities a
      WHERE a.about_kind = 'opportunity' AND a.about_id = ${deal.id}::uuid AND a.deleted_at IS NULL AND a.active
      UNION
      SELECT a.id FROM lake_activities a
      JOIN lake_source_records s ON s.canonical_id = a.id AND s.source = 'm365' AND s.entity = 'events' AND s.removed_at IS NULL
      JOIN lake_raw_records r ON r.id = s.raw_id
      WHERE cardinality(${emails}::text[]) > 0 AND a.about_id IS NULL AND a.deleted_at IS NULL AND a.active AND a.at >= ${deal.openedAt}
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.payload->'attendees') = 'array' THEN r.payload->'attendees' ELSE '[]' END) p
                    WHERE lower(p->'emailAddress'->>'address') = ANY(${emails}::text[]))
    )
    SELECT a.id, a.activity_type AS type, a.summary, a.state, a.at, u.name AS owner,
           (SELECT s.source FROM lake_source_records s WHERE s.canonical_id = a.id AND s.canonical_kind = 'activity' ORDER BY s.removed_at NULLS FIRST LIMIT 1) AS source
    FROM entries e JOIN lake_activities a ON a.id = e.id LEFT JOIN lake_users u ON u.id = a.owner_id
    ORDER BY a.at DESC, a.id DESC LIMIT ${TIMELINE_MAX}`;
}

/** The opportunity with its timeline, account and contacts; null when the scope lets none through. */
export async function opportunityFile(tx: TenantTx, access: LakeAccess, id: string): Promise<OpportunityFile | null> {
  const deal = await opportunityDetail(tx, access, id);
  if (!deal) return null;
  const [accountDetails] = deal.account
    ? await tx.$queryRaw<DealAccount[]>`
        SELECT id, name, uen, domain, website, email, phone, country_code AS "countryCode", tags
        FROM lake_accounts WHERE id = ${deal.account.id}::uuid AND deleted_at IS NULL`
    : [];
  const contacts = await dealContacts(tx, deal);
  const emails = contacts.flatMap((c) => (c.email ? [c.email.toLowerCase()] : []));
  const timeline = await dealTimeline(tx, deal, emails);
  const full = seesLakeRows(access);
  return {
    ...deal,
    accountDetails: accountDetails ?? null,
    contacts: full
      ? contacts
      : contacts.map((c) => ({ ...c, name: maskName(c.name), email: c.email && maskEmail(c.email), phone: c.phone && maskPhone(c.phone) })),
    timeline: full ? timeline : timeline.map((entry) => ({ ...entry, owner: entry.owner && maskName(entry.owner), summary: null })),
  };
}
