import { z } from "zod";
import { log } from "~/logger.server";
import { chunks } from "~/utils/collections";
import { type OdooDomain, type OdooSession } from "./client.server";
import { desiredCompanySchema, mergeDesired, type DesiredCompany, type DesiredCompanyInput } from "./desired-partners.server";
import { planPartnerUpsert, type ExistingPartner, type ExistingPartners, type FieldChange, type PartnerPlan, type PlanOptions } from "./partner-plan.server";

/**
 * Pre-creates/updates lead companies and their contacts as res.partner
 * records. Only partners are written: campaign actions (mailings, activities)
 * belong to the sales team, not to the platform.
 *
 * Batched: one search_read per batch of UENs, one per batch of parents, one
 * create per batch of new records, and one write per distinct set of changed
 * values.
 */

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
