import { z } from "zod";
import { type TenantTx } from "~/db.server";
import { normalizeLinkedinUrl } from "~/settings/suppression";
import { desiredCompanySchema, desiredContactSchema, type DesiredCompany, type DesiredContact } from "./desired-partners.server";
import {
  aboutComment,
  companyEmailRank,
  emailVerdict,
  isSuppressedDomain,
  normalizeDomain,
  registryAddress,
  suppressionLists,
  withHttps,
  type RegistryAddressParts,
  type WithheldEmailReason,
} from "./push-mapping.server";

export const LEAD_BUCKETS = ["High", "Medium", "Low"] as const;
export type LeadBucket = (typeof LEAD_BUCKETS)[number];
/** Low leads are not worth a salesperson's time and would bury the good ones in the CRM. */
export const DEFAULT_PUSH_BUCKETS: readonly LeadBucket[] = ["High", "Medium"];

export type PushSetOptions = {
  /** Buckets whose companies are pushed; default High and Medium. */
  buckets?: readonly LeadBucket[];
};

export type ExclusionReason = "bucket" | "suppressed_uen" | "suppressed_domain" | "not_in_registry" | "invalid";

export type PushSet = {
  runId: string;
  buckets: LeadBucket[];
  companies: DesiredCompany[];
  excluded: Array<{ uen: string; reason: ExclusionReason }>;
  droppedContacts: Array<{ uen: string; name: string; reason: "suppressed_email" | "suppressed_profile" | "invalid" }>;
  /** Emails found but not pushed, by reason (counts: the addresses themselves stay in the platform). */
  withheldEmails: Record<WithheldEmailReason, number>;
};

type RegistryRow = RegistryAddressParts & { uen: string; entity_name: string; primary_ssic_description: string | null };

type EmailRow = { email: string; contactId: string | null; verificationStatus: string };

/**
 * The partners a run should have in Odoo, read inside the tenant's
 * transaction: companies scored in the chosen buckets, without suppressed
 * UENs and domains; a contact whose address is suppressed is left out too
 * (the person asked not to be contacted, so they do not belong in a sales
 * CRM). A contact without a pushable email is still pushed with its
 * LinkedIn URL as its key.
 */
export async function buildPushSet(tx: TenantTx, runId: string, options: PushSetOptions = {}): Promise<PushSet> {
  const buckets = [...new Set(options.buckets ?? DEFAULT_PUSH_BUCKETS)].map((b) => z.enum(LEAD_BUCKETS).parse(b));
  const scores = await tx.leadScore.findMany({ where: { runId }, select: { uen: true, bucket: true }, orderBy: [{ score: "desc" }, { uen: "asc" }] });
  const set: PushSet = { runId, buckets, companies: [], excluded: [], droppedContacts: [], withheldEmails: { unverified: 0, suppressed: 0, invalid: 0 } };
  const wanted = scores.filter((s) => {
    if (buckets.includes(s.bucket as LeadBucket)) return true;
    set.excluded.push({ uen: s.uen, reason: "bucket" });
    return false;
  });
  const uens = wanted.map((s) => s.uen);
  if (uens.length === 0) return set;

  // The registry is global and has no Prisma model on every branch: read it with SQL.
  const registry = await tx.$queryRaw<RegistryRow[]>`
    SELECT uen, entity_name, block, street_name, level_no, unit_no, building_name, postal_code, primary_ssic_description
    FROM staging_acra_companies WHERE uen = ANY(${uens}::text[])`;
  const [features, contacts, emails, suppressions] = await Promise.all([
    tx.leadFeature.findMany({ where: { uen: { in: uens } }, select: { uen: true, domain: true, aboutText: true, industry: true, phones: true } }),
    tx.leadContact.findMany({
      where: { uen: { in: uens } },
      select: { id: true, uen: true, fullName: true, title: true, linkedinUrl: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    tx.leadEmail.findMany({ where: { uen: { in: uens } }, select: { uen: true, email: true, contactId: true, verificationStatus: true } }),
    tx.suppressionEntry.findMany({ select: { kind: true, value: true } }),
  ]);
  const suppressed = suppressionLists(suppressions);
  const registryByUen = new Map(registry.map((r) => [r.uen, r]));
  const featureByUen = new Map(features.map((f) => [f.uen, f]));
  const contactsByUen = group(contacts, (c) => c.uen);
  const emailsByUen = group(emails, (e) => e.uen);

  for (const uen of uens) {
    if (suppressed.uens.has(uen.toUpperCase())) {
      set.excluded.push({ uen, reason: "suppressed_uen" });
      continue;
    }
    const entity = registryByUen.get(uen);
    if (!entity) {
      set.excluded.push({ uen, reason: "not_in_registry" });
      continue;
    }
    const feature = featureByUen.get(uen);
    const domain = feature?.domain ? normalizeDomain(feature.domain) : undefined;
    if (domain && isSuppressedDomain(domain, suppressed.domains)) {
      set.excluded.push({ uen, reason: "suppressed_domain" });
      continue;
    }
    const companyEmails = emailsByUen.get(uen) ?? [];
    const verdict = (row: EmailRow) => {
      const result = emailVerdict(row, domain, suppressed);
      if (result.kind !== "push") set.withheldEmails[result.kind]++;
      return result;
    };
    const companyEmail = companyEmails
      .filter((e) => e.contactId === null)
      .map((e) => ({ row: e, verdict: verdict(e) }))
      .flatMap((e) => (e.verdict.kind === "push" ? [{ ...e.verdict, status: e.row.verificationStatus }] : []))
      .sort((a, b) => companyEmailRank(a) - companyEmailRank(b) || a.email.localeCompare(b.email))[0]?.email;

    const people: DesiredContact[] = [];
    for (const contact of contactsByUen.get(uen) ?? []) {
      const own = companyEmails.filter((e) => e.contactId === contact.id).map((e) => ({ row: e, verdict: verdict(e) }));
      if (suppressed.profiles.has(normalizeLinkedinUrl(contact.linkedinUrl) ?? "")) {
        set.droppedContacts.push({ uen, name: contact.fullName, reason: "suppressed_profile" });
        continue;
      }
      if (own.some((e) => e.verdict.kind === "suppressed")) {
        set.droppedContacts.push({ uen, name: contact.fullName, reason: "suppressed_email" });
        continue;
      }
      const email = own
        .flatMap((e) => (e.verdict.kind === "push" ? [{ ...e.verdict, status: e.row.verificationStatus }] : []))
        .sort((a, b) => Number(b.status === "verified") - Number(a.status === "verified") || a.email.localeCompare(b.email))[0]?.email;
      const parsed = desiredContactSchema.safeParse({
        name: contact.fullName,
        email: email ?? null,
        linkedinUrl: withHttps(contact.linkedinUrl),
        jobTitle: contact.title,
      });
      if (parsed.success) people.push(parsed.data);
      else set.droppedContacts.push({ uen, name: contact.fullName, reason: "invalid" });
    }

    const company = desiredCompanySchema.safeParse({
      uen,
      name: entity.entity_name,
      website: domain ? `https://${domain}` : null,
      email: companyEmail ?? null,
      phone: feature?.phones.find((p) => p.trim()) ?? null,
      ...registryAddress(entity),
      comment: aboutComment(feature?.aboutText, feature?.industry ?? entity.primary_ssic_description),
      contacts: people,
    });
    if (company.success) set.companies.push(company.data);
    else set.excluded.push({ uen, reason: "invalid" });
  }
  return set;
}

function group<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}
