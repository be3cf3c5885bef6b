import { z } from "zod";
import { log } from "~/logger.server";
import { type OdooDomain, type OdooSession } from "./client.server";
import { withScheme } from "./provisioning.server";

/**
 * Pre-creates/updates lead companies and their contacts as res.partner
 * records (seed 000 §6: no campaign actions).
 *
 * Keys:
 * - company: `is_company = true` and `ref` = UEN. `ref` is neither computed
 *   nor copied to children, unlike `company_registry` (reference §5).
 *   Archived partners are looked up too (`active_test: false`) and reused,
 *   never duplicated; they stay archived because someone archived them.
 * - contact: a child partner (`parent_id`, type contact) matched within its
 *   company by lower-cased email, else by LinkedIn profile URL.
 *
 * The LinkedIn URL lives in the contact's `website` field: Odoo CE has no
 * social-profile field on res.partner, `website` is shown as a clickable link
 * to sales users, needs no custom module, and is searchable; stored with its
 * https scheme, Odoo's `_clean_website` keeps it byte-for-byte, so lookups
 * and change detection stay exact. `ref` stays reserved for the UEN.
 *
 * `planPartnerUpsert` is pure and returns the dry-run diff; the executor
 * applies exactly that plan, batched: one search_read per batch of UENs, one
 * per batch of parents, one create per batch of new records, and one write
 * per distinct set of changed values.
 */

const optionalText = z
  .string()
  .trim()
  .transform((v) => v || undefined)
  .nullish();

export const desiredContactSchema = z
  .object({
    name: z.string().trim().min(1),
    email: z.string().trim().email().nullish(),
    linkedinUrl: z.string().trim().url().nullish(),
    phone: optionalText,
    mobile: optionalText,
    jobTitle: optionalText,
  })
  .refine((c) => c.email || c.linkedinUrl, "a contact needs an email or a LinkedIn URL");

export const desiredCompanySchema = z.object({
  uen: z.string().trim().min(1),
  name: z.string().trim().min(1),
  website: optionalText,
  email: z.string().trim().email().nullish(),
  phone: optionalText,
  street: optionalText,
  street2: optionalText,
  zip: optionalText,
  city: optionalText,
  /** Plain text for the partner's Notes; sent as one escaped paragraph (see `commentHtml`). */
  comment: optionalText,
  countryCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/)
    .transform((v) => v.toUpperCase())
    .nullish(),
  contacts: z.array(desiredContactSchema).default([]),
});

export type DesiredContact = z.output<typeof desiredContactSchema>;
export type DesiredCompany = z.output<typeof desiredCompanySchema>;
export type DesiredCompanyInput = z.input<typeof desiredCompanySchema>;

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

// ---------------------------------------------------------------- keys

/** Canonical LinkedIn profile URL: https, www host, no query, fragment or trailing slash, lower-case path. */
export function normalizeLinkedInUrl(raw: string): string {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim()) ? raw.trim() : `https://${raw.trim()}`);
  const host = url.hostname.toLowerCase();
  const linkedin = host === "linkedin.com" || host.endsWith(".linkedin.com");
  const path = url.pathname.replace(/\/+$/, "");
  return linkedin ? `https://www.linkedin.com${path.toLowerCase()}` : `https://${host}${path}`;
}

/** The contact's key within its company: lower-cased email, else its LinkedIn URL. */
export function contactKey(contact: Pick<DesiredContact, "email" | "linkedinUrl">): string {
  if (contact.email) return contact.email.trim().toLowerCase();
  if (contact.linkedinUrl) return normalizeLinkedInUrl(contact.linkedinUrl);
  throw new Error("a contact needs an email or a LinkedIn URL");
}

// ---------------------------------------------------------------- plan (pure)

/**
 * Duplicate UENs in the input are merged (later non-empty fields win), and so
 * are contacts of one company that share an email or a LinkedIn URL: the same
 * person found by two sources must not become two partners.
 */
export function mergeDesired(companies: DesiredCompany[]): DesiredCompany[] {
  const byUen = new Map<string, DesiredCompany>();
  for (const company of companies) {
    const previous = byUen.get(company.uen);
    const merged: DesiredCompany = previous ? overlay(previous, company) : { ...company };
    merged.contacts = [...(previous?.contacts ?? []), ...company.contacts];
    byUen.set(company.uen, merged);
  }
  return [...byUen.values()].map((c) => ({ ...c, contacts: mergeContacts(c.contacts) }));
}

function mergeContacts(contacts: DesiredContact[]): DesiredContact[] {
  const out: DesiredContact[] = [];
  const email = (c: DesiredContact) => c.email?.trim().toLowerCase();
  const linkedin = (c: DesiredContact) => (c.linkedinUrl ? normalizeLinkedInUrl(c.linkedinUrl) : undefined);
  for (const contact of contacts) {
    const index = out.findIndex((o) => (email(contact) && email(o) === email(contact)) || (linkedin(contact) && linkedin(o) === linkedin(contact)));
    if (index < 0) out.push({ ...contact });
    else out[index] = overlay(out[index]!, contact);
  }
  return out;
}

function overlay<T extends object>(base: T, next: T): T {
  const merged = { ...base };
  for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== null && v !== "") (merged as Record<string, unknown>)[k] = v;
  return merged;
}

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

/** Odoo's html fields sanitise plain text into a paragraph; sending that form keeps change detection exact. */
export function commentHtml(text: string): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<p>${escaped.replace(/\r?\n/g, "<br>")}</p>`;
}

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

function groupBy<T>(items: T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

// ---------------------------------------------------------------- Odoo I/O

const PARTNER_FIELDS = [
  "id",
  "name",
  "ref",
  "is_company",
  "active",
  "parent_id",
  "company_id",
  "email",
  "website",
  "phone",
  "mobile",
  "function",
  "street",
  "street2",
  "zip",
  "city",
  "country_id",
  "comment",
];

const m2oId = z.union([z.tuple([z.number().int(), z.string()]), z.literal(false)]).transform((v) => (v ? v[0] : (false as const)));
const text = z.union([z.string(), z.literal(false)]);
const partnerRowSchema = z.object({
  id: z.number().int().positive(),
  name: text,
  ref: text,
  is_company: z.boolean(),
  active: z.boolean(),
  parent_id: m2oId,
  company_id: m2oId,
  email: text,
  website: text,
  phone: text,
  mobile: text,
  function: text,
  street: text,
  street2: text,
  zip: text,
  city: text,
  country_id: m2oId,
  comment: text,
});

export type UpsertOptions = PlanOptions & { batchSize?: number };

/** Reads everything the planner needs: batched by UEN, then by parent id. */
export async function fetchExistingPartners(session: OdooSession, desired: DesiredCompany[], options: UpsertOptions = {}): Promise<ExistingPartners> {
  const batchSize = options.batchSize ?? 100;
  const context = { active_test: false };
  const scope: OdooDomain = !options.companyId
    ? []
    : options.sharedDatabase
      ? [["company_id", "=", options.companyId]]
      : [["company_id", "in", [options.companyId, false]]];
  const uens = [...new Set(desired.map((c) => c.uen))];
  const companies: ExistingPartner[] = [];
  for (const chunk of chunks(uens, batchSize)) {
    companies.push(
      ...(await session.searchRead("res.partner", [["ref", "in", chunk], ["is_company", "=", true], ...scope], {
        fields: PARTNER_FIELDS,
        context,
        schema: partnerRowSchema,
      })),
    );
  }
  const contacts: ExistingPartner[] = [];
  const parentIds = companies.map((c) => c.id);
  if (desired.some((c) => c.contacts.length)) {
    for (const chunk of chunks(parentIds, batchSize)) {
      contacts.push(
        ...(await session.searchRead("res.partner", [["parent_id", "in", chunk], ...scope], { fields: PARTNER_FIELDS, context, schema: partnerRowSchema })),
      );
    }
  }
  const codes = [...new Set(desired.map((c) => c.countryCode).filter((c): c is string => Boolean(c)))];
  const countryIds: Record<string, number> = {};
  if (codes.length) {
    const rows = await session.searchRead("res.country", [["code", "in", codes]], {
      fields: ["code"],
      schema: z.object({ id: z.number().int(), code: z.string() }),
    });
    for (const row of rows) countryIds[row.code] = row.id;
  }
  return { companies, contacts, countryIds };
}

export type UpsertCounts = { created: number; updated: number; unchanged: number };

export type PartnerUpsertResult = {
  dryRun: boolean;
  plan: PartnerPlan;
  companies: UpsertCounts;
  contacts: UpsertCounts;
  /** UEN → res.partner id (for a dry run: only the ones that already exist). */
  companyIds: Record<string, number>;
  /** UEN → contact key → res.partner id. */
  contactIds: Record<string, Record<string, number>>;
};

/** Applies a plan as computed, in batches; returns the ids of every planned partner. */
export async function applyPartnerPlan(session: OdooSession, plan: PartnerPlan, options: { batchSize?: number } = {}): Promise<PartnerUpsertResult> {
  const batchSize = options.batchSize ?? 100;
  const result = idsOf(plan, false);
  for (const chunk of chunks(plan.companies.create, batchSize)) {
    const ids = await session.create(
      "res.partner",
      chunk.map((c) => c.values),
    );
    chunk.forEach((c, i) => (result.companyIds[c.uen] = ids[i]!));
  }
  await writeGrouped(session, plan.companies.update);
  const contactCreates = plan.contacts.create.map((c) => ({
    ...c,
    values: c.parentId === null ? { ...c.values, parent_id: result.companyIds[c.uen] } : c.values,
  }));
  for (const chunk of chunks(contactCreates, batchSize)) {
    const ids = await session.create(
      "res.partner",
      chunk.map((c) => c.values),
    );
    chunk.forEach((c, i) => ((result.contactIds[c.uen] ??= {})[c.key] = ids[i]!));
  }
  await writeGrouped(session, plan.contacts.update);
  log().info({ odoo: { db: session.db, companies: result.companies, contacts: result.contacts } }, "odoo partners upserted");
  return result;
}

/** Fetch, plan and (unless `dryRun`) apply. */
export async function upsertPartners(
  session: OdooSession,
  input: DesiredCompanyInput[],
  options: UpsertOptions & { dryRun?: boolean } = {},
): Promise<PartnerUpsertResult> {
  const desired = mergeDesired(z.array(desiredCompanySchema).parse(input));
  const existing = await fetchExistingPartners(session, desired, options);
  const plan = planPartnerUpsert(existing, desired, options);
  if (plan.warnings.length) log().warn({ odoo: { db: session.db, warnings: plan.warnings } }, "odoo partner upsert warnings");
  return options.dryRun ? idsOf(plan, true) : applyPartnerPlan(session, plan, options);
}

function idsOf(plan: PartnerPlan, dryRun: boolean): PartnerUpsertResult {
  const companyIds: Record<string, number> = {};
  const contactIds: Record<string, Record<string, number>> = {};
  for (const c of [...plan.companies.update, ...plan.companies.unchanged]) companyIds[c.uen] = c.id;
  for (const c of [...plan.contacts.update, ...plan.contacts.unchanged]) (contactIds[c.uen] ??= {})[c.key] = c.id;
  const count = (p: { create: unknown[]; update: unknown[]; unchanged: unknown[] }) => ({
    created: p.create.length,
    updated: p.update.length,
    unchanged: p.unchanged.length,
  });
  return { dryRun, plan, companies: count(plan.companies), contacts: count(plan.contacts), companyIds, contactIds };
}

/** One write per distinct set of new values: records that change the same way share a call. */
async function writeGrouped(session: OdooSession, updates: Array<{ id: number; changes: FieldChange[] }>): Promise<void> {
  const groups = new Map<string, { values: Record<string, unknown>; ids: number[] }>();
  for (const update of updates) {
    const values = Object.fromEntries(update.changes.map((c) => [c.field, c.after]));
    const key = JSON.stringify(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
    const group = groups.get(key) ?? { values, ids: [] };
    group.ids.push(update.id);
    groups.set(key, group);
  }
  for (const { values, ids } of groups.values()) await session.write("res.partner", ids, values);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
