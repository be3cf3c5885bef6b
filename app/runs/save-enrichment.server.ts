import { type CrawlResult } from "~/crawler/crawl-site.server";
import { type TenantTx } from "~/db.server";
import { type CompanyProfile } from "~/enrichment/extract.server";
import { type CompanyDomain } from "./company-domain.server";
import { type CompanyContacts } from "./contact-discovery.server";
import { type CompanyEnrichment } from "./enrichment-step.server";
import { type CompanyWebsite } from "./website-pages.server";

export type EnrichmentFindings = {
  domain: CompanyDomain;
  website: CompanyWebsite;
  profile: CompanyProfile;
  contacts: CompanyContacts;
};

/**
 * Writes what the enrichment found, each with its provenance: the company's
 * features, its pages and its contacts, upserted by their natural keys so a
 * repeated job changes nothing. Returns the contact id of each contact's
 * email address, for the email rows.
 */
export async function saveEnrichment(tx: TenantTx, e: CompanyEnrichment, found: EnrichmentFindings, at: string): Promise<Map<string, string>> {
  const { run, uen, now } = e;
  const { tenantId } = run;
  const { domain, website, profile, contacts } = found;
  const features = {
    runId: run.runId,
    domain: domain.domain,
    domainSource: domain.source,
    domainEvidence: domain.evidence as object,
    crawlStatus: crawlStatus(domain.domain, website.crawl),
    crawlReason: website.crawl?.reason ?? null,
    tavilyUsed: website.tavilyUsed,
    contentSha256: website.contentSha256,
    aboutText: profile.about_text,
    industry: profile.industry,
    headcountEstimate: profile.headcount_estimate,
    products: profile.products,
    locations: profile.locations,
    phones: profile.phones,
    contactsStatus: contacts.outcome,
    provenance: featureProvenance(profile.provenance, domain.source, website.tavilyUsed, at) as object,
    enrichedAt: now,
    updatedAt: now,
  };
  await tx.leadFeature.upsert({ where: { tenantId_uen: { tenantId, uen } }, create: { tenantId, uen, ...features }, update: features });
  // Pages and contacts are one statement each, whatever their number: inside the transaction every round trip
  // holds a pool connection (and the rows written so far) while a busy worker gets round to the next one.
  const pages = [...new Map(website.pages.map((page) => [page.url, page])).values()];
  if (pages.length > 0) {
    await tx.$executeRaw`
      INSERT INTO crawl_pages (tenant_id, uen, url, kind, source, status, title, text, sha256, bytes, fetched_at)
      SELECT ${tenantId}::uuid, ${uen}, p.url, p.kind, p.source, p.status, p.title, p.text, p.sha256, p.bytes, ${now}
      FROM unnest(${pages.map((page) => page.url)}::text[], ${pages.map((page) => page.kind)}::text[], ${pages.map((page) => page.source)}::text[],
                  ${pages.map((page) => page.status)}::int[], ${pages.map((page) => page.title)}::text[], ${pages.map((page) => page.text)}::text[],
                  ${pages.map((page) => page.sha256)}::text[], ${pages.map((page) => page.bytes)}::int[])
        AS p(url, kind, source, status, title, text, sha256, bytes)
      ON CONFLICT (tenant_id, uen, url) DO UPDATE SET kind = EXCLUDED.kind, source = EXCLUDED.source, status = EXCLUDED.status,
        title = EXCLUDED.title, text = EXCLUDED.text, sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes, fetched_at = EXCLUDED.fetched_at`;
  }
  const contactIds = new Map<string, string>();
  const people = [...new Map(contacts.found.map((person) => [person.linkedinUrl, person])).values()];
  if (people.length > 0) {
    const saved = await tx.$queryRaw<Array<{ id: string; linkedin_url: string }>>`
      INSERT INTO lead_contacts (tenant_id, uen, linkedin_url, full_name, title, company_current, location, source, provenance, updated_at)
      SELECT ${tenantId}::uuid, ${uen}, c.linkedin_url, c.full_name, c.title, c.company_current, c.location, c.source,
             jsonb_build_object('source', c.source, 'at', ${at}::text), ${now}
      FROM unnest(${people.map((c) => c.linkedinUrl)}::text[], ${people.map((c) => c.fullName)}::text[], ${people.map((c) => c.title)}::text[],
                  ${people.map((c) => c.companyCurrent)}::text[], ${people.map((c) => c.location)}::text[], ${people.map((c) => c.source)}::text[])
        AS c(linkedin_url, full_name, title, company_current, location, source)
      ON CONFLICT (tenant_id, uen, linkedin_url) DO UPDATE SET full_name = EXCLUDED.full_name, title = EXCLUDED.title,
        company_current = EXCLUDED.company_current, location = EXCLUDED.location, source = EXCLUDED.source,
        provenance = EXCLUDED.provenance, updated_at = EXCLUDED.updated_at
      RETURNING id::text AS id, linkedin_url`;
    const idOf = new Map(saved.map((row) => [row.linkedin_url, row.id]));
    for (const { linkedinUrl, email } of contacts.found) if (email) contactIds.set(email.toLowerCase(), idOf.get(linkedinUrl)!);
  }
  return contactIds;
}

/** The crawl's status, "error" when a domain was known but no crawl result came back, "none" without a domain. */
export function crawlStatus(domain: string | null, crawl: Pick<CrawlResult, "status"> | null): string {
  return crawl?.status ?? (domain ? "error" : "none");
}

/** Where each stored feature came from, and when: the extractor that filled each profile field, the domain's source, the pages' readers. */
export function featureProvenance(
  fields: Readonly<Record<string, "llm" | "rules">>,
  domainSource: string | null,
  tavilyUsed: boolean,
  at: string,
): Record<string, { source: string; at: string }> {
  const provenance: Record<string, { source: string; at: string }> = Object.fromEntries(
    Object.entries(fields).map(([field, by]) => [field, { source: by === "llm" ? "llm_extraction" : "rules_extraction", at }]),
  );
  return {
    ...provenance,
    domain: { source: domainSource ?? "none", at },
    crawl: { source: tavilyUsed ? "crawler+tavily" : "crawler", at },
  };
}
