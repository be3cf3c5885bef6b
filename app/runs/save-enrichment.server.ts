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
  for (const page of website.pages) {
    const row = {
      kind: page.kind,
      source: page.source,
      status: page.status,
      title: page.title,
      text: page.text,
      sha256: page.sha256,
      bytes: page.bytes,
      fetchedAt: now,
    };
    await tx.crawlPage.upsert({
      where: { tenantId_uen_url: { tenantId, uen, url: page.url } },
      create: { tenantId, uen, url: page.url, ...row },
      update: row,
    });
  }
  const contactIds = new Map<string, string>();
  for (const { linkedinUrl, email, ...person } of contacts.found) {
    const data = { ...person, provenance: { source: person.source, at } as object, updatedAt: now };
    const saved = await tx.leadContact.upsert({
      where: { tenantId_uen_linkedinUrl: { tenantId, uen, linkedinUrl } },
      create: { tenantId, uen, linkedinUrl, ...data },
      update: data,
      select: { id: true },
    });
    if (email) contactIds.set(email.toLowerCase(), saved.id);
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
