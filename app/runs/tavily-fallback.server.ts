import { type CrawlResult } from "~/crawler/crawl-site.server";

/** Pages per domain handed to Tavily Extract. */
export const TAVILY_MAX_PAGES = 4;

const ROBOTS_REFUSAL = /^robots_/;

/** The crawl stopped at the homepage because the site's robots.txt refuses us (or could not say). */
export function robotsRefusedSite(crawl: CrawlResult): boolean {
  return crawl.status === "blocked" && ROBOTS_REFUSAL.test(crawl.reason ?? "");
}

/**
 * The pages Tavily Extract may fetch for us after a blocked, thin or failed
 * crawl. Extract fetches a page on our behalf, so a page robots.txt refuses
 * to us is refused to it too: none when the site refuses its homepage, and
 * never an about / contact page the crawler skipped for robots.
 */
export function tavilyExtractUrls(domain: string, crawl: CrawlResult): string[] {
  if (robotsRefusedSite(crawl)) return [];
  const extra = crawl.skipped.filter((s) => (s.kind === "about" || s.kind === "contact") && !ROBOTS_REFUSAL.test(s.reason)).map((s) => s.url);
  return [crawl.homeUrl ?? `https://${domain}/`, ...extra].slice(0, TAVILY_MAX_PAGES);
}
