import { type ReadHomepage } from "~/crawler/crawl-site.server";
import { nameMatchScore } from "~/crawler/domain-discovery.server";
import { APIFY_LINKEDIN_VENDOR, companyLookupInput, DEFAULT_ACTORS } from "~/vendors/apify.server";
import { dailyCapGuard } from "./caps.server";
import { couldBeCompanySite, searchHitAsPage, siteHost } from "./company-site";
import { type CompanyEnrichment } from "./enrichment-step.server";
import { noteVendorFailure, recordVendorUsage } from "./vendor-calls.server";

/**
 * The company's website domain (null when none was found), where it came
 * from, and the evidence for it; `home` is its homepage when discovery just
 * read it (the crawl starts from it, see CrawlOptions.home).
 */
export type CompanyDomain = { domain: string | null; source: string | null; evidence: unknown[]; home?: ReadHomepage };

/**
 * The domain stage. A domain found before is kept unless the run recrawls;
 * otherwise, in order: the crawler's discovery when it is sure enough, a
 * Tavily search, the crawler's low-confidence guess, and the website on the
 * company's LinkedIn page. Without any, the company goes on to contacts by name.
 */
export function findCompanyDomain(e: CompanyEnrichment): Promise<CompanyDomain> {
  const { previous, run, clients, company } = e;
  return e.step("domain", "discover", async (note) => {
    if (previous?.domain && !run.options.forceRecrawl) {
      note({ tool: "cache", args: { domain: previous.domain } });
      return { domain: previous.domain, source: previous.domainSource ?? "cache", evidence: previous.domainEvidence as unknown[] };
    }
    const found = await clients.crawler.discover(company.name);
    if (found.domain && found.confidence !== "low") {
      note({ tool: "crawler", args: { domain: found.domain, confidence: found.confidence } });
      return { domain: found.domain, source: `crawler:${found.confidence}`, evidence: found.evidence, home: found.home };
    }
    const searched = await domainFromSearch(e);
    if (searched) {
      note({ tool: "tavily", args: { domain: searched.domain } });
      return { domain: searched.domain, source: "tavily_search", evidence: [...found.evidence, searched.evidence] };
    }
    if (found.domain) {
      note({ tool: "crawler", args: { domain: found.domain, confidence: found.confidence } });
      return { domain: found.domain, source: `crawler:${found.confidence}`, evidence: found.evidence };
    }
    const fromLinkedin = await domainFromApifyCompany(e);
    if (fromLinkedin) {
      note({ tool: "apify", args: { domain: fromLinkedin.domain } });
      return { domain: fromLinkedin.domain, source: "apify_company", evidence: [...found.evidence, fromLinkedin.evidence] };
    }
    note({ status: "skipped", message: "no website found: going straight to contacts by company name" });
    return { domain: null, source: null, evidence: found.evidence };
  });
}

/** Tavily search for the company's own site, skipping directories and social networks. */
async function domainFromSearch({ clients, run, company }: CompanyEnrichment) {
  if (!clients.tavily) return null;
  try {
    const result = await clients.tavily.search({ query: `${company.name} Singapore official website`, maxResults: 5 });
    await recordVendorUsage(run, "tavily", { calls: 1, units: result.credits });
    for (const hit of result.results) {
      const host = siteHost(hit.url);
      if (!host || !couldBeCompanySite(host)) continue;
      const score = nameMatchScore(company.name, searchHitAsPage(hit));
      if (score >= 0.5) return { domain: host, evidence: { step: "tavily_search", url: hit.url, score } };
    }
  } catch (error) {
    await recordVendorUsage(run, "tavily", { calls: 1, errors: 1 });
    await noteVendorFailure(run, "tavily", error);
  }
  return null;
}

/** The website field of the company's LinkedIn page, through the Apify company actor (counts against the cap). */
async function domainFromApifyCompany({ clients, run, company }: CompanyEnrichment) {
  if (!clients.apify || !clients.apifyFlags.enabled) return null;
  const guard = dailyCapGuard(run.tenantId, clients.apifyDailyCap);
  if (!(await guard.tryConsume(APIFY_LINKEDIN_VENDOR, 1))) return null;
  try {
    const actor = clients.apify.config.actors?.company ?? DEFAULT_ACTORS.company;
    const items = await clients.apify.runActorSync(actor, companyLookupInput(company.name));
    await recordVendorUsage(run, APIFY_LINKEDIN_VENDOR, { calls: 1, units: 1 });
    const first = (items as Array<{ website?: string | null; name?: string | null }>)[0];
    const host = first?.website ? siteHost(first.website) : null;
    if (host && couldBeCompanySite(host)) return { domain: host, evidence: { step: "apify_company", website: first!.website } };
  } catch (error) {
    await recordVendorUsage(run, APIFY_LINKEDIN_VENDOR, { calls: 1, units: 1, errors: 1 });
    await noteVendorFailure(run, "apify", error);
  }
  return null;
}
