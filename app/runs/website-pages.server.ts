import { createHash } from "node:crypto";
import { type CrawledPage, type CrawlResult } from "~/crawler/crawl-site.server";
import { type SourcePage } from "~/enrichment/source-pages.server";
import { type CompanyDomain } from "./company-domain.server";
import { siteHost } from "./company-site";
import { type CompanyEnrichment } from "./enrichment-step.server";
import { runCrawl } from "./run-crawls.server";
import { robotsRefusedSite, tavilyExtractUrls } from "./tavily-fallback.server";
import { noteVendorFailure, recordVendorUsage } from "./vendor-calls.server";

/** A page of the company's website as it is stored: its text, where it came from, and its hash. */
export type WebsitePage = SourcePage & { sha256: string; source: "crawler" | "tavily"; status: number | null; bytes: number };

export type CompanyWebsite = {
  /** Null when there was no domain to crawl. */
  crawl: CrawlResult | null;
  pages: WebsitePage[];
  tavilyUsed: boolean;
  /** The hash of all the pages' text together, so the content a company was scored on can be told again; null without pages. */
  contentSha256: string | null;
};

/**
 * The crawl, merge and (when needed) Tavily stages (`onCrawled` hears the
 * crawled pages as soon as the crawl ends): the deterministic crawl
 * of the company's domain (shared with the run's other companies of that
 * domain, see run-crawls), then Tavily when the crawl was blocked, thin or
 * failed. A site whose robots.txt refuses us is not read through Tavily
 * Extract either (it would fetch the pages for us): only search snippets
 * about it are used.
 */
export async function readCompanyWebsite(
  e: CompanyEnrichment,
  { domain, home }: Pick<CompanyDomain, "domain" | "home">,
  onCrawled: (pages: readonly WebsitePage[]) => void = () => {},
): Promise<CompanyWebsite> {
  const { step, clients, run } = e;
  const crawl = domain
    ? await step("crawl", "crawl", async (note) => {
        const includeCareers = run.options.includeCareers ?? false;
        const { result: crawled, shared } = runCrawl({ runId: run.runId, domain, includeCareers }, () =>
          clients.crawler.crawl(domain, { includeCareers, home }),
        );
        const result = await crawled;
        note({
          tool: "crawler",
          status: result.status === "ok" ? "ok" : result.status === "error" ? "error" : "info",
          args: { domain: result.domain, pages: result.pages.length, words: result.wordCount, status: result.status, ...(shared ? { shared: true } : {}) },
          message: result.reason,
        });
        return result;
      })
    : null;

  const pages: WebsitePage[] = (crawl?.pages ?? []).map(crawledPage);
  // The crawled contact and team pages are parsed: whatever waits on them starts before Tavily and the merge.
  onCrawled([...pages]);
  let tavilyUsed = false;
  if (clients.tavily && domain && crawl && crawl.status !== "ok") {
    if (robotsRefusedSite(crawl)) {
      await step("tavily", "search_snippets", async (note) => {
        tavilyUsed = true;
        const extra = await tavilySnippets(e, domain);
        pages.push(...extra);
        note({
          tool: "tavily",
          status: "info",
          args: { domain, pages: extra.length, extract: false },
          message: "robots.txt disallows this site: not read through Tavily Extract; Tavily Search snippets and the registry used instead",
        });
      });
    } else {
      await step("tavily", "extract", async (note) => {
        tavilyUsed = true;
        const extra = await tavilyPages(e, domain, crawl);
        pages.push(...extra);
        note({ tool: "tavily", args: { domain, pages: extra.length } });
      });
    }
  }

  const contentSha256 = await step("merge", "merge", async (note) => {
    const sha256 = mergedContentSha256(pages);
    note({ args: { pages: pages.length, sha256 } });
    return pages.length ? sha256 : null;
  });
  return { crawl, pages, tavilyUsed, contentSha256 };
}

function crawledPage(p: CrawledPage): WebsitePage {
  return { url: p.url, kind: p.kind, title: p.title, text: p.text, sha256: p.sha256, source: "crawler", status: p.status, bytes: p.bytes };
}

/** The SHA-256 of the pages' text as the merge joins it: each page headed by its URL, in order. */
export function mergedContentSha256(pages: readonly SourcePage[]): string {
  const text = pages.map((p) => `# ${p.url}\n${p.text}`).join("\n\n");
  return createHash("sha256").update(text).digest("hex");
}

/** The fallback stops early once it has a solid about text. */
const STRONG_SIGNAL_WORDS = 120;

/** A page of text Tavily gave us, in the shape the merge step stores. */
export function tavilyPage(url: string, kind: SourcePage["kind"], title: string, text: string): WebsitePage {
  return { url, kind, title, text, sha256: createHash("sha256").update(text).digest("hex"), source: "tavily", status: null, bytes: Buffer.byteLength(text) };
}

/** The kind of a page Tavily Extract read, from its address. */
export function extractedPageKind(url: string): "about" | "contact" | "home" {
  return /about|who-we-are/i.test(url) ? "about" : /contact/i.test(url) ? "contact" : "home";
}

async function tavilyPages({ clients, run }: CompanyEnrichment, domain: string, crawl: CrawlResult) {
  const urls = tavilyExtractUrls(domain, crawl);
  const out: WebsitePage[] = [];
  try {
    const result = await clients.tavily!.extract({ urls });
    await recordVendorUsage(run, "tavily", { calls: 1, units: result.credits });
    let words = 0;
    for (const page of result.results) {
      if (words >= STRONG_SIGNAL_WORDS * 3) break;
      const text = page.raw_content.trim();
      if (!text) continue;
      words += text.split(/\s+/).length;
      out.push(tavilyPage(page.url, extractedPageKind(page.url), text.split("\n")[0]!.slice(0, 200), text));
    }
  } catch (error) {
    await recordVendorUsage(run, "tavily", { calls: 1, errors: 1 });
    await noteVendorFailure(run, "tavily", error);
  }
  return out;
}

/** What search engines show publicly about a site that refuses crawlers: the hits on the company's own domain. */
async function tavilySnippets({ clients, run, company }: CompanyEnrichment, domain: string) {
  const out: WebsitePage[] = [];
  try {
    const result = await clients.tavily!.search({ query: `${company.name} ${domain}`, maxResults: 5 });
    await recordVendorUsage(run, "tavily", { calls: 1, units: result.credits });
    for (const hit of result.results) {
      const host = siteHost(hit.url);
      const text = hit.content.trim();
      if (!text || !host || (host !== domain && !host.endsWith(`.${domain}`))) continue;
      out.push(tavilyPage(hit.url, "search_snippet", hit.title, text));
    }
  } catch (error) {
    await recordVendorUsage(run, "tavily", { calls: 1, errors: 1 });
    await noteVendorFailure(run, "tavily", error);
  }
  return out;
}
