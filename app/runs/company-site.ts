import { type PageText } from "~/crawler/html-text.server";

/** Hosts that describe companies without being their websites. */
const NOT_A_COMPANY_SITE =
  /(^|\.)(linkedin\.com|facebook\.com|instagram\.com|twitter\.com|x\.com|sgpbusiness\.com|opengovsg\.com|recordowl\.com|bizfile\.gov\.sg|acra\.gov\.sg|yellowpages\.com\.sg|crunchbase\.com|glassdoor\.com|jobstreet\.com|indeed\.com|youtube\.com|wikipedia\.org)$/i;

/** The host of a URL (a bare "acme.sg" too), lower-case and without "www.", or null when it is not a URL. */
export function siteHost(url: string): string | null {
  try {
    return new URL(url.includes("://") ? url : `https://${url}`).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return null;
  }
}

/** False for social networks, business directories and job boards: sites about companies, not theirs. */
export function couldBeCompanySite(host: string): boolean {
  return !NOT_A_COMPANY_SITE.test(host);
}

/** A search result read like a page, so the name check that verifies crawled homepages applies to it too. */
export function searchHitAsPage(hit: { title: string; content: string }): PageText {
  return {
    title: hit.title,
    description: "",
    text: hit.content,
    boilerplate: "",
    headings: [],
    links: [],
    emails: [],
    phones: [],
    organizations: [],
    wordCount: hit.content.split(/\s+/).length,
  };
}
