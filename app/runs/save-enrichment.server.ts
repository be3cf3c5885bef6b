import { type CrawlResult } from "~/crawler/crawl-site.server";
import { db } from "~/db.server";
import { type CompanyProfile } from "~/enrichment/extract.server";
import { Prisma } from "~/generated/prisma/client";
import { type CompanyDomain } from "./company-domain.server";
import { type CompanyContacts } from "./contact-discovery.server";
import { type CompanyEnrichment } from "./enrichment-step.server";
import { type AddressToQueue, VERIFICATION_FRESH_DAYS } from "./queue-emails.server";
import { stepEventRow, type StepEvent } from "./run-log.server";
import { type CompanyWebsite } from "./website-pages.server";

export type EnrichmentFindings = {
  domain: CompanyDomain;
  website: CompanyWebsite;
  profile: CompanyProfile;
  contacts: CompanyContacts;
};

/**
 * Writes what the enrichment found, each with its provenance, and queues the
 * company's addresses, as one statement through `$tenantSql`: the company's
 * features, its pages and its contacts, upserted by their natural keys so a
 * repeated job changes nothing; each address the email policy kept, with its
 * contact's id and a fresh cached verification where there is one (pending
 * otherwise, for the verification job) — those queueSiteAddresses queued
 * (`queuedEarly`) only gain their contact —; the run's ZeroBounce cache hits;
 * and the emails step's event. As a transaction these were seven statements and
 * a COMMIT a company, each a round trip during which the transaction held a
 * pool connection and the rows it wrote. Returns how many of the company's
 * addresses (these and those queued early) wait for verification.
 */
export async function saveFindings(
  e: CompanyEnrichment,
  found: EnrichmentFindings,
  emails: { addresses: readonly AddressToQueue[]; queuedEarly?: readonly string[]; step: StepEvent },
  at: string,
): Promise<{ pending: number }> {
  const { run, uen, now } = e;
  const { tenantId, runId } = run;
  const { domain, website, profile, contacts } = found;
  const pages = [...new Map(website.pages.map((page) => [page.url, page])).values()];
  const people = [...new Map(contacts.found.map((person) => [person.linkedinUrl, person])).values()];
  const { addresses, queuedEarly = [] } = emails;
  // The emails step's time includes this statement's, which the server adds.
  const step = stepEventRow(emails.step);
  const evidence = JSON.stringify(domain.evidence ?? []);
  const provenance = JSON.stringify(featureProvenance(profile.provenance, domain.source, website.tavilyUsed, at));
  const { rows } = await db.$tenantSql<{ pending: number }>(
    tenantId,
    Prisma.sql`
    WITH features AS (
      INSERT INTO lead_features AS f (tenant_id, uen, run_id, domain, domain_source, domain_evidence, crawl_status, crawl_reason, tavily_used,
        content_sha256, about_text, industry, headcount_estimate, products, locations, phones, contacts_status, provenance, enriched_at, updated_at)
      VALUES (${tenantId}::uuid, ${uen}, ${runId}::uuid, ${domain.domain}, ${domain.source}, ${evidence}::jsonb,
        ${crawlStatus(domain.domain, website.crawl)}, ${website.crawl?.reason ?? null}, ${website.tavilyUsed}, ${website.contentSha256},
        ${profile.about_text}, ${profile.industry}, ${profile.headcount_estimate}::int, ${profile.products}::text[], ${profile.locations}::text[],
        ${profile.phones}::text[], ${contacts.outcome}, ${provenance}::jsonb, ${now}::timestamptz, ${now}::timestamptz)
      ON CONFLICT (tenant_id, uen) DO UPDATE SET run_id = EXCLUDED.run_id, domain = EXCLUDED.domain, domain_source = EXCLUDED.domain_source,
        domain_evidence = EXCLUDED.domain_evidence, crawl_status = EXCLUDED.crawl_status, crawl_reason = EXCLUDED.crawl_reason,
        tavily_used = EXCLUDED.tavily_used, content_sha256 = EXCLUDED.content_sha256, about_text = EXCLUDED.about_text, industry = EXCLUDED.industry,
        headcount_estimate = EXCLUDED.headcount_estimate, products = EXCLUDED.products, locations = EXCLUDED.locations, phones = EXCLUDED.phones,
        contacts_status = EXCLUDED.contacts_status, provenance = EXCLUDED.provenance, enriched_at = EXCLUDED.enriched_at, updated_at = EXCLUDED.updated_at),
    pages AS (
      INSERT INTO crawl_pages (tenant_id, uen, url, kind, source, status, title, text, sha256, bytes, fetched_at)
      SELECT ${tenantId}::uuid, ${uen}, p.url, p.kind, p.source, p.status, p.title, p.text, p.sha256, p.bytes, ${now}::timestamptz
      FROM unnest(${pages.map((page) => page.url)}::text[], ${pages.map((page) => page.kind)}::text[], ${pages.map((page) => page.source)}::text[],
                  ${pages.map((page) => page.status)}::int[], ${pages.map((page) => page.title)}::text[], ${pages.map((page) => page.text)}::text[],
                  ${pages.map((page) => page.sha256)}::text[], ${pages.map((page) => page.bytes)}::int[])
        AS p(url, kind, source, status, title, text, sha256, bytes)
      ON CONFLICT (tenant_id, uen, url) DO UPDATE SET kind = EXCLUDED.kind, source = EXCLUDED.source, status = EXCLUDED.status,
        title = EXCLUDED.title, text = EXCLUDED.text, sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes, fetched_at = EXCLUDED.fetched_at),
    contacts AS (
      INSERT INTO lead_contacts (tenant_id, uen, linkedin_url, full_name, title, company_current, location, source, provenance, updated_at)
      SELECT ${tenantId}::uuid, ${uen}, c.linkedin_url, c.full_name, c.title, c.company_current, c.location, c.source,
             jsonb_build_object('source', c.source, 'at', ${at}::text), ${now}::timestamptz
      FROM unnest(${people.map((c) => c.linkedinUrl)}::text[], ${people.map((c) => c.fullName)}::text[], ${people.map((c) => c.title)}::text[],
                  ${people.map((c) => c.companyCurrent)}::text[], ${people.map((c) => c.location)}::text[], ${people.map((c) => c.source)}::text[])
        AS c(linkedin_url, full_name, title, company_current, location, source)
      ON CONFLICT (tenant_id, uen, linkedin_url) DO UPDATE SET full_name = EXCLUDED.full_name, title = EXCLUDED.title,
        company_current = EXCLUDED.company_current, location = EXCLUDED.location, source = EXCLUDED.source,
        provenance = EXCLUDED.provenance, updated_at = EXCLUDED.updated_at
      RETURNING id, linkedin_url),
    addresses AS (${addressesWithCache(tenantId, addresses, now, queuedEarly)}),
    emails AS (
      INSERT INTO lead_emails (tenant_id, uen, email, contact_id, source, verification_status, sub_status, verified_at, updated_at)
      SELECT ${tenantId}::uuid, ${uen}, a.email, c.id, a.source, CASE WHEN a.fresh THEN a.status ELSE 'pending' END,
        CASE WHEN a.fresh THEN a.sub_status END, CASE WHEN a.fresh THEN a.checked_at END, ${now}::timestamptz
      FROM addresses a LEFT JOIN contacts c ON c.linkedin_url = a.linkedin_url
      WHERE NOT a.early
      ON CONFLICT (tenant_id, uen, email) DO UPDATE SET contact_id = EXCLUDED.contact_id, source = EXCLUDED.source,
        verification_status = EXCLUDED.verification_status, sub_status = EXCLUDED.sub_status, verified_at = EXCLUDED.verified_at,
        updated_at = EXCLUDED.updated_at),
    -- An address queued early keeps its verification, which may have come back meanwhile: it only gains its contact.
    relinked AS (
      UPDATE lead_emails e SET contact_id = c.id, source = a.source, updated_at = ${now}::timestamptz
      FROM addresses a LEFT JOIN contacts c ON c.linkedin_url = a.linkedin_url
      WHERE a.early AND e.tenant_id = ${tenantId}::uuid AND e.uen = ${uen} AND e.email = a.email),
    cache_hits AS (${cacheHits(runId)}),
    waiting AS (
      SELECT count(*)::int AS n FROM addresses WHERE NOT fresh AND NOT early
      UNION ALL
      SELECT count(*)::int FROM lead_emails e
      WHERE e.tenant_id = ${tenantId}::uuid AND e.uen = ${uen} AND e.email = ANY(${queuedEarly}::text[]) AND e.verification_status = 'pending'),
    logged AS (
      INSERT INTO run_event_logs (run_id, uen, stage, event, status, tool, duration_ms, args, message)
      VALUES (${step.runId}::uuid, ${step.uen}, ${step.stage}, ${step.event}, ${step.status}, ${step.tool},
        ${step.durationMs ?? 0}::int + (1000 * extract(epoch FROM clock_timestamp() - statement_timestamp()))::int,
        ${JSON.stringify(step.args)}::jsonb || jsonb_build_object('pending', (SELECT sum(n)::int FROM waiting)), ${step.message}))
    SELECT sum(n)::int AS pending FROM waiting`,
  );
  return { pending: rows[0]!.pending };
}

/**
 * Queues the addresses the company's own pages show, as soon as the pages are
 * read: stored pending (or with a fresh cached verdict) for the run's
 * verification job, which takes the addresses of companies still enriching
 * too, so ZeroBounce's window does not wait on the extraction and the
 * contacts. saveFindings later adds the rest and links contacts, leaving
 * these addresses' verification as it finds it. Returns how many wait for
 * verification.
 */
export async function queueSiteAddresses(
  e: Pick<CompanyEnrichment, "run" | "uen" | "now">,
  addresses: readonly AddressToQueue[],
): Promise<{ pending: number }> {
  const { run, uen, now } = e;
  const { rows } = await db.$tenantSql<{ pending: number }>(
    run.tenantId,
    Prisma.sql`
    WITH addresses AS (${addressesWithCache(run.tenantId, addresses, now, [])}),
    emails AS (
      INSERT INTO lead_emails (tenant_id, uen, email, source, verification_status, sub_status, verified_at, updated_at)
      SELECT ${run.tenantId}::uuid, ${uen}, a.email, a.source, CASE WHEN a.fresh THEN a.status ELSE 'pending' END,
        CASE WHEN a.fresh THEN a.sub_status END, CASE WHEN a.fresh THEN a.checked_at END, ${now}::timestamptz
      FROM addresses a
      ON CONFLICT (tenant_id, uen, email) DO UPDATE SET source = EXCLUDED.source, verification_status = EXCLUDED.verification_status,
        sub_status = EXCLUDED.sub_status, verified_at = EXCLUDED.verified_at, updated_at = EXCLUDED.updated_at),
    cache_hits AS (${cacheHits(run.runId)})
    SELECT count(*)::int AS pending FROM addresses WHERE NOT fresh`,
  );
  return { pending: rows[0]!.pending };
}

/**
 * The addresses with their cached verdicts: `fresh` when one younger than 90
 * days and saying more than "unknown" stands instead of a call; `early` when
 * queueSiteAddresses already queued the address this run.
 */
function addressesWithCache(tenantId: string, addresses: readonly AddressToQueue[], now: Date, queuedEarly: readonly string[]) {
  return Prisma.sql`
      SELECT a.email, a.source, a.linkedin_url, v.status, v.sub_status, v.checked_at, a.email = ANY(${queuedEarly}::text[]) AS early,
        COALESCE(v.checked_at > ${now}::timestamptz - make_interval(days => ${VERIFICATION_FRESH_DAYS}::int) AND v.status <> 'unknown', false) AS fresh
      FROM unnest(${addresses.map((a) => a.email)}::text[], ${addresses.map((a) => a.source)}::text[], ${addresses.map((a) => a.linkedinUrl)}::text[])
        AS a(email, source, linkedin_url)
      LEFT JOIN email_verifications v ON v.tenant_id = ${tenantId}::uuid AND v.email = a.email`;
}

/** The run's ZeroBounce cache hits among the addresses (those queued early were counted then). */
function cacheHits(runId: string) {
  return Prisma.sql`
      INSERT INTO run_vendor_usage (run_id, vendor, cache_hits)
      SELECT ${runId}::uuid, 'zerobounce', count(*)::int FROM addresses WHERE fresh AND NOT early HAVING count(*) > 0
      ON CONFLICT (tenant_id, run_id, vendor) DO UPDATE SET cache_hits = run_vendor_usage.cache_hits + EXCLUDED.cache_hits, updated_at = now()`;
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
