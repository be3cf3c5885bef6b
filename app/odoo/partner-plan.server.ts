import { groupBy } from "~/utils/collections";
import { contactKey, mergeDesired, normalizeLinkedInUrl, type DesiredCompany } from "./desired-partners.server";
import { commentHtml, withScheme } from "./partner-values.server";

/**
 * The dry-run diff between the partners the platform wants and those Odoo
 * has, computed without I/O; `applyPartnerPlan` carries out exactly this plan.
 *
 * - A company is the partner with `is_company = true` and `ref` = UEN. `ref`
 *   is neither computed nor copied to child contacts, unlike
 *   `company_registry`, which Odoo copies to every child as a commercial field
 *   (https://github.com/odoo/odoo/blob/17.0/odoo/addons/base/models/res_partner.py).
 *   Archived partners are matched too and reused, never duplicated; they stay
 *   archived because someone archived them.
 * - A contact is a child partner (`parent_id`, type contact) matched within
 *   its company by lower-cased email, else by LinkedIn profile URL.
 *
 * The LinkedIn URL lives in the contact's `website` field: Odoo CE has no
 * social-profile field on res.partner, `website` is shown as a clickable link
 * to sales users, needs no custom module, and is searchable; stored with its
 * https scheme, Odoo's `_clean_website` keeps it byte-for-byte, so lookups
 * and change detection stay exact. `ref` stays reserved for the UEN.
 */

/** A res.partner as the planner sees it: many2one values reduced to ids. */
export type ExistingPartner = {
  id: number;
  name: string | false;
  ref: string | false;
  is_company: boolean;
  active: boolean;
  parent_id: number | false;
  company_id: number | false;
  email: string | false;
  website: string | false;
  phone: string | false;
  mobile: string | false;
  function: string | false;
  street: string | false;
  street2: string | false;
  zip: string | false;
  city: string | false;
  country_id: number | false;
  comment: string | false;
};

export type ExistingPartners = {
  companies: ExistingPartner[];
  contacts: ExistingPartner[];
  /** ISO code → res.country id. */
  countryIds: Record<string, number>;
};

export type FieldChange = { field: string; before: unknown; after: unknown };

export type PartnerPlan = {
  companies: {
    create: Array<{ uen: string; values: Record<string, unknown> }>;
    update: Array<{ uen: string; id: number; archived: boolean; changes: FieldChange[] }>;
    unchanged: Array<{ uen: string; id: number; archived: boolean }>;
  };
  contacts: {
    /** `parentId` null: the parent is created by this plan (look it up by `uen`). */
    create: Array<{ uen: string; key: string; parentId: number | null; values: Record<string, unknown> }>;
    update: Array<{ uen: string; key: string; id: number; archived: boolean; changes: FieldChange[] }>;
    unchanged: Array<{ uen: string; key: string; id: number; archived: boolean }>;
  };
  warnings: string[];
};

export type PlanOptions = {
  /** company_per_tenant: the tenant's res.company, stamped on every new partner. */
  companyId?: number;
  /**
   * company_per_tenant: a partner without a company is shared by every tenant
   * of the database, so only partners of `companyId` are read and written. In
   * a tenant's own database those partners are the tenant's too.
   */
  sharedDatabase?: boolean;
};

export function planPartnerUpsert(existing: ExistingPartners, desired: DesiredCompany[], options: PlanOptions = {}): PartnerPlan {
  const plan: PartnerPlan = {
    companies: { create: [], update: [], unchanged: [] },
    contacts: { create: [], update: [], unchanged: [] },
    warnings: [],
  };
  const companiesByRef = groupBy(existing.companies, (p) => (p.ref ? p.ref : undefined));
  const contactsByParent = groupBy(existing.contacts, (p) => (p.parent_id ? String(p.parent_id) : undefined));

  for (const company of mergeDesired(desired)) {
    const candidates = companiesByRef.get(company.uen) ?? [];
    const match = pickCompany(candidates, options.companyId);
    if (candidates.length > 1) {
      plan.warnings.push(`UEN ${company.uen} matches ${candidates.length} partners (${candidates.map((c) => c.id).join(", ")}); using ${match!.id}`);
    }
    const wanted = companyValues(company, existing.countryIds, plan.warnings);
    if (!match) {
      plan.companies.create.push({
        uen: company.uen,
        values: { ...wanted, is_company: true, ref: company.uen, ...(options.companyId ? { company_id: options.companyId } : {}) },
      });
    } else {
      const changes = diff(match, wanted);
      const entry = { uen: company.uen, id: match.id, archived: !match.active };
      if (changes.length) plan.companies.update.push({ ...entry, changes });
      else plan.companies.unchanged.push(entry);
    }
    planContacts(plan, company, match, match ? (contactsByParent.get(String(match.id)) ?? []) : [], options);
  }
  return plan;
}

function planContacts(
  plan: PartnerPlan,
  company: DesiredCompany,
  parent: ExistingPartner | undefined,
  children: ExistingPartner[],
  options: PlanOptions,
): void {
  const seen = new Set<string>();
  const used = new Set<number>();
  for (const contact of company.contacts) {
    const key = contactKey(contact);
    if (seen.has(key)) continue;
    seen.add(key);
    const linkedin = contact.linkedinUrl ? normalizeLinkedInUrl(contact.linkedinUrl) : undefined;
    const email = contact.email?.toLowerCase();
    const match =
      (email && children.find((c) => !used.has(c.id) && typeof c.email === "string" && c.email.trim().toLowerCase() === email)) ||
      (linkedin && children.find((c) => !used.has(c.id) && c.website === linkedin)) ||
      undefined;
    const wanted: Record<string, unknown> = { name: contact.name };
    if (contact.email) wanted.email = contact.email;
    if (linkedin) wanted.website = linkedin;
    if (contact.phone) wanted.phone = contact.phone;
    if (contact.mobile) wanted.mobile = contact.mobile;
    if (contact.jobTitle) wanted.function = contact.jobTitle;
    if (!match) {
      plan.contacts.create.push({
        uen: company.uen,
        key,
        parentId: parent?.id ?? null,
        values: {
          ...wanted,
          type: "contact",
          is_company: false,
          ...(parent ? { parent_id: parent.id } : {}),
          ...(options.companyId ? { company_id: options.companyId } : {}),
        },
      });
      continue;
    }
    used.add(match.id);
    const changes = diff(match, wanted);
    const entry = { uen: company.uen, key, id: match.id, archived: !match.active };
    if (changes.length) plan.contacts.update.push({ ...entry, changes });
    else plan.contacts.unchanged.push(entry);
  }
}

function companyValues(company: DesiredCompany, countryIds: Record<string, number>, warnings: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = { name: company.name };
  if (company.website) values.website = withScheme(company.website);
  if (company.email) values.email = company.email;
  if (company.phone) values.phone = company.phone;
  if (company.street) values.street = company.street;
  if (company.street2) values.street2 = company.street2;
  if (company.zip) values.zip = company.zip;
  if (company.city) values.city = company.city;
  if (company.comment) values.comment = commentHtml(company.comment);
  if (company.countryCode) {
    const id = countryIds[company.countryCode];
    if (id) values.country_id = id;
    else warnings.push(`UEN ${company.uen}: Odoo has no country ${company.countryCode}`);
  }
  return values;
}

/**
 * Notes belong to the sales team once the partner exists: ours fill an empty
 * one and never overwrite what someone wrote there.
 */
const FILL_ONLY_FIELDS = new Set(["comment"]);

function isEmptyHtml(value: unknown): boolean {
  return value === false || value === null || value === undefined || (typeof value === "string" && /^(\s|<p>|<\/p>|<br\s*\/?>)*$/i.test(value));
}

/** Fields whose desired value differs; emails compare case-insensitively, like the key. */
function diff(current: ExistingPartner, wanted: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, after] of Object.entries(wanted)) {
    const before = current[field as keyof ExistingPartner];
    if (FILL_ONLY_FIELDS.has(field) && !isEmptyHtml(before)) continue;
    const same =
      field === "email" && typeof before === "string" && typeof after === "string"
        ? before.trim().toLowerCase() === after.trim().toLowerCase()
        : before === after;
    if (!same) changes.push({ field, before, after });
  }
  return changes;
}

/** Prefer the tenant's own partner (the planner may be given others), active over archived, then the oldest. */
function pickCompany(candidates: ExistingPartner[], companyId: number | undefined): ExistingPartner | undefined {
  return [...candidates].sort(
    (a, b) =>
      Number(b.company_id === (companyId ?? false)) - Number(a.company_id === (companyId ?? false)) || Number(b.active) - Number(a.active) || a.id - b.id,
  )[0];
}
