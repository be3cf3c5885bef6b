import { type OdooDomain } from "~/odoo/client.server";

/**
 * What the lake reads from Odoo, in load order: reference data first, then
 * users and teams, partners, leads, and the activities that point at them.
 * Field names are Odoo 17/18's (addons/crm/models/crm_lead.py, crm_stage.py,
 * addons/sales_team/models/crm_team.py, res_users.py, addons/mail/models/
 * mail_activity.py, mail_message.py, odoo/addons/base/models/res_partner.py).
 */
export type OdooLakeEntity = {
  /** The Odoo model, also the entity name in the raw zone. */
  model: string;
  /** Stored fields read on every record; `fields_get` must list them all. */
  fields: readonly string[];
  /** Read when this Odoo has them (a module or version difference), never reported missing. */
  optional?: readonly string[];
  /** Which records of the model belong in the lake. */
  domain?: (scope: OdooLakeScope) => OdooDomain;
  /**
   * Read whole on every sync: the record's computed, unstored fields (a
   * team's members) change without moving its write_date. Only for models
   * with a handful of records.
   */
  alwaysFull?: boolean;
};

/** In a database shared by every tenant, the tenant's company; null when the database is the tenant's own. */
export type OdooLakeScope = { companyId: number | null };

/** Records of the tenant's company only: in a shared database, partners without a company may belong to anyone. */
const ownCompany = ({ companyId }: OdooLakeScope): OdooDomain => (companyId === null ? [] : [["company_id", "=", companyId]]);

/** Models whose activities and messages the lake keeps: the ones it maps. */
export const ACTIVITY_MODELS = ["crm.lead", "res.partner"];

export const ODOO_LAKE_ENTITIES: readonly OdooLakeEntity[] = [
  { model: "res.country", fields: ["name", "code"] },
  { model: "crm.stage", fields: ["name", "sequence", "is_won", "fold", "team_id"] },
  { model: "crm.tag", fields: ["name"] },
  { model: "crm.lost.reason", fields: ["name", "active"] },
  { model: "res.partner.category", fields: ["name", "active"] },
  { model: "mail.activity.type", fields: ["name", "category", "active"] },
  {
    model: "res.users",
    fields: ["name", "login", "email", "active", "company_id", "sale_team_id"],
    // auth_oauth's link to the platform's sign-in: how a platform user is matched to their Odoo user
    optional: ["oauth_uid"],
    // internal users of the tenant's company (portal users are customers, not salespeople)
    domain: ({ companyId }) => [["share", "=", false], ...(companyId === null ? [] : ([["company_ids", "in", [companyId]]] as OdooDomain))],
  },
  { model: "crm.team", fields: ["name", "active", "company_id", "user_id", "member_ids"], domain: ownCompany, alwaysFull: true },
  {
    model: "res.partner",
    fields: [
      "name",
      "is_company",
      "parent_id",
      "ref",
      "vat",
      "company_registry",
      "website",
      "email",
      "phone",
      "mobile",
      "function",
      "country_id",
      "category_id",
      "active",
      "company_id",
    ],
    // a user's own partner is the salesperson, not a customer contact
    domain: (scope) => [["user_ids", "=", false], ...ownCompany(scope)],
  },
  {
    model: "crm.lead",
    fields: [
      "name",
      "type",
      "stage_id",
      "team_id",
      "user_id",
      "partner_id",
      "contact_name",
      "partner_name",
      "email_from",
      "phone",
      "expected_revenue",
      "probability",
      "date_deadline",
      "date_closed",
      "date_last_stage_update",
      "active",
      "lost_reason_id",
      "tag_ids",
      "company_id",
      "create_date",
    ],
    optional: ["won_status"],
    domain: ownCompany,
  },
  {
    model: "mail.activity",
    fields: ["activity_type_id", "summary", "date_deadline", "user_id", "res_model", "res_id", "res_name", "active"],
    domain: () => [["res_model", "in", ACTIVITY_MODELS]],
  },
  {
    model: "mail.message",
    fields: ["model", "res_id", "date", "author_id", "subtype_id", "mail_activity_type_id", "body", "create_uid"],
    // done activities only: the message an activity leaves when it is marked done carries its type
    domain: () => [
      ["mail_activity_type_id", "!=", false],
      ["model", "in", ACTIVITY_MODELS],
    ],
  },
];

/** Entities that only other records refer to; the mapper maps them to nothing. */
export const ODOO_REFERENCE_ENTITIES: ReadonlySet<string> = new Set([
  "res.country",
  "crm.stage",
  "crm.tag",
  "crm.lost.reason",
  "res.partner.category",
  "mail.activity.type",
]);
