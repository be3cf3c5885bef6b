import { looksLikeUen } from "~/utils/uen";
import {
  type CanonicalDraft,
  type MapContext,
  type MapResult,
  type OpportunityDraft,
  type RecordLink,
  type SourceMapper,
  type SourceRecord,
  type SourceRef,
} from "../pipeline";
import { ODOO_REFERENCE_ENTITIES } from "./entities";

/**
 * Odoo records → canonical drafts. Values pass as Odoo gives them (the
 * shared normaliser cleans emails, phones, domains and dates); Odoo's `false`
 * for "empty" becomes null. Reference records (stages, tags, lost reasons,
 * partner categories, activity types, countries) map to nothing: the records
 * that use them read them through the MapContext.
 */

type Payload = Record<string, unknown>;

const NOTHING: MapResult = { mapped: [], rejected: [] };

/** A char/text value, or null for Odoo's false (and for a missing field). */
function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** The id of a many2one (`[id, display_name]`), a bare id, or null for false. */
function idOf(value: unknown): number | null {
  if (Array.isArray(value) && typeof value[0] === "number") return value[0];
  return typeof value === "number" && value > 0 ? value : null;
}

/** The display name Odoo sends with a many2one. */
function nameOf(value: unknown): string | null {
  return Array.isArray(value) && typeof value[1] === "string" ? value[1] : null;
}

function link(entity: string, value: unknown): RecordLink {
  const id = idOf(value);
  return id === null ? null : { source: "odoo", entity, sourceId: String(id) };
}

function ids(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
}

/** Names of x2many ids through the reference records already fetched; ids whose record is unknown are left out. */
function namesOf(context: MapContext, entity: string, value: unknown): string[] {
  return ids(value)
    .map((id) => text(context.payloadOf(entity, String(id))?.name))
    .filter((name): name is string => name !== null);
}

function number(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** The plain text of an HTML message body (what a done activity's summary and feedback read as). */
export function bodyText(html: unknown): string | null {
  if (typeof html !== "string") return null;
  const plain = html
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return plain || null;
}

/** What a lead's stage, activity and archive state say about how it ended. */
export function leadOutcome(payload: Payload, stageIsWon: boolean): OpportunityDraft["outcome"] {
  if (stageIsWon || payload.won_status === "won") return "won";
  const archivedLost = payload.active === false && number(payload.probability) === 0 && idOf(payload.lost_reason_id) !== null;
  if (archivedLost || payload.won_status === "lost") return "lost";
  return "open";
}

const ABOUT_ENTITIES = new Set(["crm.lead", "res.partner"]);

function about(model: unknown, resId: unknown): RecordLink {
  return typeof model === "string" && ABOUT_ENTITIES.has(model) ? link(model, resId) : null;
}

type Mapped = CanonicalDraft | { reject: string };

function mapPartner(p: Payload, context: MapContext): Mapped {
  const name = text(p.name);
  if (!name) return { reject: "res.partner has no name" };
  const active = p.active !== false;
  const phone = text(p.phone) ?? text(p.mobile);
  if (p.is_company === true) {
    const country = idOf(p.country_id);
    return {
      kind: "account",
      name,
      uen: partnerUen(p),
      vat: text(p.vat),
      website: text(p.website),
      email: text(p.email),
      phone,
      countryCode: country === null ? null : text(context.payloadOf("res.country", String(country))?.code),
      tags: namesOf(context, "res.partner.category", p.category_id),
      active,
    };
  }
  return {
    kind: "contact",
    name,
    email: text(p.email),
    phone,
    jobTitle: text(p.function),
    account: link("res.partner", p.parent_id),
    companyName: null,
    active,
  };
}

/**
 * A company's UEN: its company registry number, else its `ref` when that has
 * a UEN's shape — the platform's lead push keys the companies it creates by
 * `ref` = UEN, which is how a pushed lead's account finds the registry.
 */
function partnerUen(p: Payload): string | null {
  for (const value of [text(p.company_registry), text(p.ref)]) if (value && looksLikeUen(value)) return value;
  return null;
}

/**
 * Whether a lead's customer is a person at a company, when the partner's own
 * record is not at hand: Odoo names such a person "Company, Person", and the
 * lead copies both halves into partner_name and contact_name.
 */
function customerIsPerson(p: Payload): boolean {
  const display = nameOf(p.partner_id);
  const company = text(p.partner_name);
  const person = text(p.contact_name);
  return Boolean(display && company && person && display === `${company}, ${person}`);
}

/** A lead's customer may be a company (the account) or one of its people (the contact, whose company is the account). */
function leadParties(p: Payload, context: MapContext): Pick<OpportunityDraft, "account" | "contact"> {
  const partner = link("res.partner", p.partner_id);
  if (!partner) return { account: null, contact: null };
  const known = context.payloadOf("res.partner", partner.sourceId);
  if (known) return known.is_company === true ? { account: partner, contact: null } : { account: link("res.partner", known.parent_id), contact: partner };
  // never an account link to a person: the account is then left for the contact's own record to say
  return customerIsPerson(p) ? { account: null, contact: partner } : { account: partner, contact: null };
}

function mapLead(p: Payload, context: MapContext): Mapped {
  const name = text(p.name);
  if (!name) return { reject: "crm.lead has no name" };
  const stageId = idOf(p.stage_id);
  const stagePayload = stageId === null ? undefined : context.payloadOf("crm.stage", String(stageId));
  const stage =
    stageId === null
      ? null
      : {
          name: text(stagePayload?.name) ?? nameOf(p.stage_id) ?? `Stage ${stageId}`,
          sequence: number(stagePayload?.sequence),
          isWon: stagePayload?.is_won === true,
        };
  const createdAt = text(p.create_date);
  if (!createdAt) return { reject: "crm.lead has no create_date" };
  const outcome = leadOutcome(p, stage?.isWon ?? false);
  return {
    kind: "opportunity",
    name,
    stageKind: p.type === "lead" ? "lead" : "opportunity",
    stage,
    ...leadParties(p, context),
    owner: link("res.users", p.user_id),
    team: link("crm.team", p.team_id),
    expectedRevenue: number(p.expected_revenue),
    probability: number(p.probability),
    currency: null,
    outcome,
    lostReason: outcome === "lost" ? nameOf(p.lost_reason_id) : null,
    createdAt,
    stageEnteredAt: text(p.date_last_stage_update),
    deadline: text(p.date_deadline),
    closedAt: text(p.date_closed),
    tags: namesOf(context, "crm.tag", p.tag_ids),
    active: p.active !== false,
  };
}

function activityType(value: unknown, context: MapContext): string | null {
  const id = idOf(value);
  if (id === null) return null;
  return text(context.payloadOf("mail.activity.type", String(id))?.name) ?? nameOf(value);
}

function mapRecord(record: SourceRecord, context: MapContext): Mapped | null {
  const p = record.payload;
  switch (record.entity) {
    case "res.users": {
      const name = text(p.name);
      if (!name) return { reject: "res.users has no name" };
      return { kind: "user", name, email: text(p.email), login: text(p.login), team: link("crm.team", p.sale_team_id), active: p.active !== false };
    }
    case "crm.team": {
      const name = text(p.name);
      if (!name) return { reject: "crm.team has no name" };
      const members: SourceRef[] = ids(p.member_ids).map((id) => ({ source: "odoo", entity: "res.users", sourceId: String(id) }));
      return { kind: "team", name, leader: link("res.users", p.user_id), members, active: p.active !== false };
    }
    case "res.partner":
      return mapPartner(p, context);
    case "crm.lead":
      return mapLead(p, context);
    case "mail.activity": {
      const type = activityType(p.activity_type_id, context);
      const at = text(p.date_deadline);
      if (!type || !at) return { reject: "mail.activity has no activity type or due date" };
      const active = p.active !== false;
      return {
        kind: "activity",
        activityType: type,
        summary: text(p.summary),
        state: "planned",
        at,
        owner: link("res.users", p.user_id),
        about: about(p.res_model, p.res_id),
        active,
      };
    }
    case "mail.message": {
      const type = activityType(p.mail_activity_type_id, context);
      const at = text(p.date);
      if (!type || !at) return { reject: "mail.message is not a done activity (no activity type or date)" };
      // create_uid is the user who marked the activity done; author_id is their partner, not a user.
      return {
        kind: "activity",
        activityType: type,
        summary: bodyText(p.body),
        state: "done",
        at,
        owner: link("res.users", p.create_uid),
        about: about(p.model, p.res_id),
        active: true,
      };
    }
    default:
      return ODOO_REFERENCE_ENTITIES.has(record.entity) ? null : { reject: `the Odoo mapper does not know ${record.entity}` };
  }
}

export const odooMapper: SourceMapper = {
  source: "odoo",
  map(record, context) {
    const ref: SourceRef = { source: "odoo", entity: record.entity, sourceId: record.sourceId };
    const result = mapRecord(record, context);
    if (result === null) return NOTHING;
    if ("reject" in result) return { mapped: [], rejected: [{ ref, reason: result.reject }] };
    return { mapped: [{ ref, draft: result }], rejected: [] };
  },
};
