import { domainFrom } from "./normalize";
import { type CanonicalDraft, type CanonicalKind, type RecordLink, type SourceRef } from "./pipeline";

/**
 * How a normalised draft becomes a row of its canonical table: the table, and
 * each column with its Postgres type and value. Link columns name the source
 * record they point to; the loader turns that into the canonical id.
 */

/** `kindColumn` also records which kind of entity the link points at (an activity is about a lead or a partner). */
export type LinkColumn = { name: string; link: (draft: never) => RecordLink; kindColumn?: string };
export type ValueColumn = { name: string; type: string; value: (draft: never) => unknown };

export type CanonicalTable = { table: string; values: ValueColumn[]; links: LinkColumn[] };

function table<D extends CanonicalDraft>(
  name: string,
  values: Array<{ name: string; type: string; value: (draft: D) => unknown }>,
  links: Array<{ name: string; link: (draft: D) => RecordLink; kindColumn?: string }> = [],
): CanonicalTable {
  return { table: name, values: values as ValueColumn[], links: links as LinkColumn[] };
}

type Of<K extends CanonicalKind> = Extract<CanonicalDraft, { kind: K }>;

export const CANONICAL_TABLES: Record<CanonicalKind, CanonicalTable> = {
  user: table<Of<"user">>(
    "lake_users",
    [
      { name: "name", type: "text", value: (d) => d.name },
      { name: "email", type: "text", value: (d) => d.email },
      { name: "login", type: "text", value: (d) => d.login },
      { name: "active", type: "boolean", value: (d) => d.active },
    ],
    [{ name: "team_id", link: (d) => d.team }],
  ),
  team: table<Of<"team">>(
    "lake_teams",
    [
      { name: "name", type: "text", value: (d) => d.name },
      { name: "active", type: "boolean", value: (d) => d.active },
    ],
    [{ name: "leader_id", link: (d) => d.leader }],
  ),
  account: table<Of<"account">>("lake_accounts", [
    { name: "name", type: "text", value: (d) => d.name },
    { name: "uen", type: "text", value: (d) => d.uen },
    { name: "vat", type: "text", value: (d) => d.vat },
    { name: "domain", type: "text", value: (d) => domainFrom(d.website, d.email) },
    { name: "website", type: "text", value: (d) => d.website },
    { name: "email", type: "text", value: (d) => d.email },
    { name: "phone", type: "text", value: (d) => d.phone },
    { name: "country_code", type: "text", value: (d) => d.countryCode },
    { name: "tags", type: "text[]", value: (d) => d.tags },
    { name: "active", type: "boolean", value: (d) => d.active },
  ]),
  contact: table<Of<"contact">>(
    "lake_contacts",
    [
      { name: "name", type: "text", value: (d) => d.name },
      { name: "email", type: "text", value: (d) => d.email },
      { name: "phone", type: "text", value: (d) => d.phone },
      { name: "job_title", type: "text", value: (d) => d.jobTitle },
      { name: "company_name", type: "text", value: (d) => d.companyName },
      { name: "active", type: "boolean", value: (d) => d.active },
    ],
    [{ name: "account_id", link: (d) => d.account }],
  ),
  opportunity: table<Of<"opportunity">>(
    "lake_opportunities",
    [
      { name: "name", type: "text", value: (d) => d.name },
      { name: "stage_kind", type: "text", value: (d) => d.stageKind },
      { name: "stage_name", type: "text", value: (d) => d.stage?.name ?? null },
      { name: "stage_sequence", type: "integer", value: (d) => d.stage?.sequence ?? null },
      { name: "expected_revenue", type: "numeric", value: (d) => d.expectedRevenue },
      { name: "probability", type: "double precision", value: (d) => d.probability },
      { name: "currency", type: "text", value: (d) => d.currency },
      { name: "outcome", type: "text", value: (d) => d.outcome },
      { name: "lost_reason", type: "text", value: (d) => d.lostReason },
      { name: "opened_at", type: "timestamptz", value: (d) => d.createdAt },
      { name: "stage_entered_at", type: "timestamptz", value: (d) => d.stageEnteredAt },
      { name: "deadline", type: "date", value: (d) => d.deadline },
      { name: "closed_at", type: "timestamptz", value: (d) => d.closedAt },
      { name: "tags", type: "text[]", value: (d) => d.tags },
      { name: "active", type: "boolean", value: (d) => d.active },
    ],
    [
      { name: "account_id", link: (d) => d.account },
      { name: "contact_id", link: (d) => d.contact },
      { name: "owner_id", link: (d) => d.owner },
      { name: "team_id", link: (d) => d.team },
    ],
  ),
  activity: table<Of<"activity">>(
    "lake_activities",
    [
      { name: "activity_type", type: "text", value: (d) => d.activityType },
      { name: "summary", type: "text", value: (d) => d.summary },
      { name: "state", type: "text", value: (d) => d.state },
      { name: "at", type: "timestamptz", value: (d) => d.at },
      { name: "active", type: "boolean", value: (d) => d.active },
    ],
    [
      { name: "owner_id", link: (d) => d.owner },
      { name: "about_id", link: (d) => d.about, kindColumn: "about_kind" },
    ],
  ),
};

/** Links whose targets are a list (a team's members). */
export function listLinks(draft: CanonicalDraft): { column: string; refs: SourceRef[] } | null {
  return draft.kind === "team" ? { column: "member_ids", refs: draft.members } : null;
}

export const refKey = (ref: SourceRef) => `${ref.source}\u0000${ref.entity}\u0000${ref.sourceId}`;
