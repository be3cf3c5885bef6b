import { type Actor } from "~/audit.server";
import { db, type TenantTx } from "~/db.server";
import { candidateMatchedBySql } from "~/icp/candidates.server";
import { maskEmail, maskName, maskPhone } from "~/privacy/mask";
import { startRun } from "~/runs/start-run.server";
import { type Bucket } from "~/scoring/score";
import { isoDay } from "~/utils/date-format";
import { canonicalLinkedinUrl } from "~/vendors/apify.server";
import { readBreakdown, type BreakdownRow } from "./breakdown";
import { odooPartnerUrl, readProvenance, registryAddressLine, type Provenance } from "./company-facts";

/**
 * Everything the workspace knows about one company, for the page that
 * answers "why is X High?": registry facts, enriched fields with where they
 * came from, contacts and emails with their verification, the crawled
 * sources, the latest score with its breakdown and rationale, the Odoo
 * partner. Personal data is masked here, on the server, when `masked`.
 *
 * A company is the tenant's when it is among its candidates or any of its
 * runs touched it; any other UEN (another tenant's, or unknown) is `null`.
 */
export type EnrichedField = { field: string; label: string; value: string | null; provenance: Provenance | null };

export type CompanyProfile = {
  uen: string;
  name: string;
  registry: {
    status: string;
    entityType: string | null;
    companyType: string | null;
    incorporatedOn: string | null;
    address: string | null;
    ssic: Array<{ code: string; description: string | null }>;
  } | null;
  enrichment: {
    domain: string | null;
    aboutText: string | null;
    crawlStatus: string | null;
    crawlReason: string | null;
    tavilyUsed: boolean;
    contentSha256: string | null;
    contactsStatus: string | null;
    enrichedAt: Date | null;
    fields: EnrichedField[];
  } | null;
  contacts: Array<{
    id: string;
    name: string;
    title: string | null;
    linkedinUrl: string | null;
    location: string | null;
    source: string;
    emails: CompanyEmail[];
  }>;
  /** Addresses found without a person (the company's own site). */
  otherEmails: CompanyEmail[];
  sources: Array<{ url: string; kind: string; source: string; status: number | null; title: string | null; sha256: string; bytes: number; fetchedAt: Date }>;
  score: {
    runId: string;
    runKind: string;
    runDate: string;
    score: number;
    bucket: Bucket;
    breakdown: BreakdownRow[];
    rationale: string;
    rationaleSource: string;
    contactWeight: number;
    verifiedContacts: number;
    scoredAt: Date;
  } | null;
  odoo: { partnerId: number; url: string | null; pushedAt: Date } | null;
  /** A re-enrich of this company that has not finished yet (its progress is shown on load). */
  reEnrichRun: { id: string; status: string } | null;
  masked: boolean;
};

export type CompanyEmail = { email: string; status: string; subStatus: string | null; source: string; verifiedAt: Date | null };

const FIELD_LABELS: Array<[string, string]> = [
  ["domain", "Website"],
  ["crawl", "Web content"],
  ["industry", "Industry"],
  ["headcount_estimate", "Headcount estimate"],
  ["products", "Products and services"],
  ["locations", "Locations"],
  ["phones", "Phone numbers"],
  ["about_text", "Description"],
];

export async function companyBelongsToTenant(tx: TenantTx, uen: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<[{ known: boolean }]>`
    SELECT EXISTS (${candidateMatchedBySql(uen)})
        OR EXISTS (SELECT 1 FROM lead_features WHERE uen = ${uen})
        OR EXISTS (SELECT 1 FROM lead_scores WHERE uen = ${uen})
        OR EXISTS (SELECT 1 FROM run_companies WHERE uen = ${uen}) AS known`;
  return row.known;
}

export async function companyProfile(tenantId: string, uen: string, options: { masked: boolean }): Promise<CompanyProfile | null> {
  const { masked } = options;
  return db.$withTenant(tenantId, async (tx) => {
    if (!(await companyBelongsToTenant(tx, uen))) return null;
    // One connection per transaction: queries run one after another.
    const registry = await tx.stagingAcraCompany.findUnique({
      where: { uen },
      select: {
        entityName: true,
        entityStatusDescription: true,
        entityTypeDescription: true,
        companyTypeDescription: true,
        registrationIncorporationDate: true,
        block: true,
        streetName: true,
        levelNo: true,
        unitNo: true,
        buildingName: true,
        postalCode: true,
        otherAddressLine1: true,
        otherAddressLine2: true,
        primarySsicCode: true,
        primarySsicDescription: true,
        secondarySsicCode: true,
        secondarySsicDescription: true,
      },
    });
    const features = await tx.leadFeature.findUnique({ where: { tenantId_uen: { tenantId, uen } } });
    const contacts = await tx.leadContact.findMany({
      where: { uen },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, fullName: true, title: true, linkedinUrl: true, location: true, source: true },
    });
    const emails = await tx.leadEmail.findMany({
      where: { uen },
      orderBy: { email: "asc" },
      select: { email: true, contactId: true, source: true, verificationStatus: true, subStatus: true, verifiedAt: true },
    });
    const pages = await tx.crawlPage.findMany({
      where: { uen },
      orderBy: [{ fetchedAt: "desc" }, { url: "asc" }],
      select: { url: true, kind: true, source: true, status: true, title: true, sha256: true, bytes: true, fetchedAt: true },
    });
    const score = await latestScore(tx, uen);
    const link = await tx.odooPartnerLink.findUnique({ where: { tenantId_uen: { tenantId, uen } }, select: { partnerId: true, pushedAt: true } });
    const connection = await tx.odooConnection.findUnique({ where: { tenantId }, select: { baseUrl: true } });
    // The company's re-enrich under way — or just finished, so its outcome stays on screen after the page reloads.
    const reEnrich = await tx.$queryRaw<Array<{ id: string; status: string }>>`
        SELECT id::text, status FROM runs
        WHERE kind = 're_enrich' AND options->'uens' ? ${uen}
          AND (status IN ('queued', 'running', 'finalizing') OR finished_at > now() - interval '10 minutes')
        ORDER BY created_at DESC LIMIT 1`;

    const showEmail = (email: string) => (masked ? maskEmail(email) : email);
    const toEmail = (e: (typeof emails)[number]): CompanyEmail => ({
      email: showEmail(e.email),
      status: e.verificationStatus,
      subStatus: e.subStatus,
      source: e.source,
      verifiedAt: e.verifiedAt,
    });
    const provenance = readProvenance(features?.provenance);
    const values: Record<string, string | null> = features
      ? {
          domain: features.domain,
          crawl: features.crawlStatus ? `${features.crawlStatus}${features.tavilyUsed ? " (with web search)" : ""}` : null,
          industry: features.industry,
          headcount_estimate: features.headcountEstimate === null ? null : String(features.headcountEstimate),
          products: features.products.join(", ") || null,
          locations: features.locations.join(", ") || null,
          phones: (masked ? features.phones.map(maskPhone) : features.phones).join(", ") || null,
          about_text: features.aboutText,
        }
      : {};

    return {
      uen,
      name: registry?.entityName ?? uen,
      registry: registry
        ? {
            status: registry.entityStatusDescription,
            entityType: registry.entityTypeDescription,
            companyType: registry.companyTypeDescription,
            incorporatedOn: registry.registrationIncorporationDate ? isoDay(registry.registrationIncorporationDate) : null,
            address: registryAddressLine(registry),
            ssic: [
              { code: registry.primarySsicCode, description: registry.primarySsicDescription },
              { code: registry.secondarySsicCode, description: registry.secondarySsicDescription },
            ].flatMap((s) => (s.code ? [{ code: s.code, description: s.description }] : [])),
          }
        : null,
      enrichment: features
        ? {
            domain: features.domain,
            aboutText: features.aboutText,
            crawlStatus: features.crawlStatus,
            crawlReason: features.crawlReason,
            tavilyUsed: features.tavilyUsed,
            contentSha256: features.contentSha256,
            contactsStatus: features.contactsStatus,
            enrichedAt: features.enrichedAt,
            fields: FIELD_LABELS.map(([field, label]) => ({ field, label, value: values[field] ?? null, provenance: provenance[field] ?? null })),
          }
        : null,
      contacts: contacts.map((c) => ({
        id: c.id,
        name: masked ? maskName(c.fullName) : c.fullName,
        title: c.title,
        // Rendered as an href: rows stored before vendor links were checked must not reach it.
        linkedinUrl: masked ? null : (canonicalLinkedinUrl(c.linkedinUrl) ?? null),
        location: c.location,
        source: c.source,
        emails: emails.filter((e) => e.contactId === c.id).map(toEmail),
      })),
      otherEmails: emails.filter((e) => !e.contactId || !contacts.some((c) => c.id === e.contactId)).map(toEmail),
      sources: pages,
      score,
      odoo: link ? { partnerId: link.partnerId, url: connection ? odooPartnerUrl(connection.baseUrl, link.partnerId) : null, pushedAt: link.pushedAt } : null,
      reEnrichRun: reEnrich[0] ?? null,
      masked,
    };
  });
}

/** The company's score from the latest succeeded run that scored it (a re-enrich counts). */
async function latestScore(tx: TenantTx, uen: string): Promise<CompanyProfile["score"]> {
  const [row] = await tx.$queryRaw<
    Array<{
      runId: string;
      runKind: string;
      runDate: string;
      score: number;
      bucket: Bucket;
      breakdown: unknown;
      rationale: string;
      rationaleSource: string;
      contactWeight: number;
      verifiedContacts: number;
      scoredAt: Date;
    }>
  >`
    SELECT s.run_id::text AS "runId", r.kind AS "runKind", r.run_date::text AS "runDate", s.score::float8 AS score, s.bucket,
           s.breakdown, s.rationale, s.rationale_source AS "rationaleSource", s.contact_weight::float8 AS "contactWeight",
           s.verified_contacts AS "verifiedContacts", s.created_at AS "scoredAt"
    FROM lead_scores s JOIN runs r ON r.id = s.run_id
    WHERE s.uen = ${uen} AND r.status = 'succeeded'
    ORDER BY r.finished_at DESC NULLS LAST, s.created_at DESC
    LIMIT 1`;
  return row ? { ...row, breakdown: readBreakdown(row.breakdown) } : null;
}

export type ReEnrichOptions = { includeCareers: boolean; forceRecrawl: boolean };

/** Starts a one-company run for a company of the tenant; null when the company is not the tenant's. */
export async function reEnrichCompany(tenantId: string, actor: Actor, uen: string, options: ReEnrichOptions): Promise<{ runId: string } | null> {
  const known = await db.$withTenant(tenantId, (tx) => companyBelongsToTenant(tx, uen));
  if (!known) return null;
  return startRun(tenantId, { kind: "re_enrich", actor, options: { uens: [uen], includeCareers: options.includeCareers, forceRecrawl: options.forceRecrawl } });
}
