import { createHash } from "node:crypto";
import {
  BlockedAddressError,
  CrawlFetchError,
  DnsError,
  HttpError,
  NotHtmlError,
  RedirectRefusedError,
  TimeoutError,
  TooLargeError,
  TooManyRedirectsError,
} from "./errors.server";
import { extractPageText, type Organization, type PageText } from "./html-text.server";
import { choosePages, sameSite, type PageKind } from "./pages.server";
import { type Politeness } from "./politeness.server";
import { type RobotsCache } from "./robots.server";
import { type SafeFetcher, type SafeFetchResult } from "./safe-fetch.server";

export type CrawlDeps = {
  fetcher: SafeFetcher;
  robots: RobotsCache;
  politeness: Politeness;
  /** Tried in order for the homepage; the dev world is plain http. */
  schemes?: Array<"https" | "http">;
  now?: () => Date;
};

/** A homepage as it was read: the answer and its text. */
export type ReadHomepage = { fetched: SafeFetchResult; text: PageText };

export type CrawlOptions = {
  includeCareers?: boolean;
  /**
   * The domain's homepage, read moments ago (by domain discovery): the crawl
   * starts from it instead of asking the site for it again, which would cost
   * the site a request and the crawl a politeness gap.
   */
  home?: ReadHomepage;
  maxPages: number;
  /** See THIN_MIN_WORDS. */
  thinMinWords?: number;
};

export type CrawledPage = {
  url: string;
  kind: PageKind;
  status: number;
  title: string;
  description: string;
  text: string;
  /** Of `text`: what the pipeline stores to prove which content it scored. */
  sha256: string;
  bytes: number;
  fetchedAt: string;
  emails: string[];
  phones: string[];
  organizations: Organization[];
};

export type CrawlStatus = "ok" | "thin" | "blocked" | "error";

export type CrawlResult = {
  domain: string;
  status: CrawlStatus;
  reason?: string;
  homeUrl?: string;
  pages: CrawledPage[];
  /** Pages chosen but not read, and why (robots, HTTP status, …). */
  skipped: Array<{ url: string; kind: PageKind; reason: string }>;
  /** Distinct words across the pages read; the thin rule looks at this. */
  wordCount: number;
};

/**
 * The thin rule: a crawl is "thin" — not enough to describe the company, so
 * the pipeline falls back to Tavily — when the pages read hold fewer than
 * THIN_MIN_WORDS words of distinct main text. Main text excludes menus,
 * footers and scripts (see html-text), and a line repeated on several pages
 * counts once, so a site whose pages are all the same hero banner stays thin.
 * A parked-domain page is thin whatever its length.
 */
export const THIN_MIN_WORDS = 150;

const PARKED = /\b(domain (is |may be )?for sale|buy this domain|is parked|domain parking|this domain is available|available for purchase)\b/i;

export function looksParked(page: Pick<PageText, "title" | "text">): boolean {
  return PARKED.test(`${page.title}\n${page.text}`);
}

export function distinctWordCount(texts: string[]): number {
  const seen = new Set<string>();
  let words = 0;
  for (const text of texts) {
    for (const line of text.split("\n")) {
      const key = line.trim().toLowerCase();
      if (!key || seen.has(key)) continue;
      seen.add(key);
      words += key.split(/\s+/).length;
    }
  }
  return words;
}

/** How a failed homepage fetch reads as a crawl outcome. */
export function classifyFailure(error: unknown): { status: "blocked" | "error"; reason: string } {
  if (error instanceof RedirectRefusedError) return { status: "blocked", reason: "robots_disallow" };
  if (error instanceof HttpError) {
    if ([401, 403, 429, 451].includes(error.status)) return { status: "blocked", reason: `http_${error.status}` };
    return { status: "error", reason: `http_${error.status}` };
  }
  if (error instanceof DnsError) return { status: "error", reason: "dns" };
  if (error instanceof BlockedAddressError) return { status: "error", reason: "blocked_address" };
  if (error instanceof TimeoutError) return { status: "error", reason: "timeout" };
  if (error instanceof NotHtmlError) return { status: "error", reason: "not_html" };
  if (error instanceof TooLargeError) return { status: "error", reason: "too_large" };
  if (error instanceof TooManyRedirectsError) return { status: "error", reason: "redirect_loop" };
  if (error instanceof CrawlFetchError) return { status: "error", reason: error.name.replace(/Error$/, "").toLowerCase() || "network" };
  throw error;
}

const isConnectionFailure = (error: unknown) => error instanceof CrawlFetchError && ["NetworkError", "TimeoutError"].includes(error.name);

/**
 * Crawls one domain: robots.txt first, then the homepage (redirects followed,
 * each new host's robots.txt checked), then the about / contact (/ careers)
 * pages its links point to, every request through the politeness gate.
 */
export async function crawlSite(domain: string, deps: CrawlDeps, options: CrawlOptions): Promise<CrawlResult> {
  const now = deps.now ?? (() => new Date());
  const result: CrawlResult = { domain, status: "error", pages: [], skipped: [], wordCount: 0 };
  const thinMinWords = options.thinMinWords ?? THIN_MIN_WORDS;

  const politeFetch = async (url: string): Promise<SafeFetchResult> => {
    const host = new URL(url).hostname;
    const verdict = await deps.robots.check(url);
    deps.politeness.setCrawlDelay(host, verdict.crawlDelayS);
    if (!verdict.allowed) {
      const { failure, state } = verdict.rules;
      // Robots.txt that could not be reached over the network means the site cannot be either.
      if (failure && !(failure instanceof HttpError)) throw failure;
      throw new RedirectRefusedError(url, state === "unreachable" ? "robots_unreachable" : "robots_disallow");
    }
    let lastHost = host;
    return deps.politeness
      .schedule(host, () =>
        deps.fetcher.fetch(url, {
          onRedirect: async (to, from) => {
            const hop = await deps.robots.check(to.href);
            if (!hop.allowed) throw new Error(hop.rules.state === "unreachable" ? "robots_unreachable" : "robots_disallow");
            await deps.politeness.follow(from.hostname, to.hostname);
            lastHost = to.hostname;
          },
        }),
      )
      .finally(() => {
        // The scheduled request's own host is counted when its turn ends; a redirect's last host is counted here.
        if (lastHost !== host) deps.politeness.touch(lastHost);
      });
  };

  let home = options.home && sameSite(new URL(options.home.fetched.finalUrl), new URL(`http://${domain}/`)) ? options.home : undefined;
  for (const scheme of home ? [] : (deps.schemes ?? ["https", "http"])) {
    const url = `${scheme}://${domain}/`;
    try {
      const fetched = await politeFetch(url);
      home = { fetched, text: extractPageText(fetched.body, fetched.finalUrl) };
      break;
    } catch (error) {
      const failure = classifyFailure(error);
      result.status = failure.status;
      result.reason = error instanceof RedirectRefusedError ? error.reason : failure.reason;
      if (!isConnectionFailure(error)) return result;
    }
  }
  if (!home) return result;

  result.homeUrl = home.fetched.finalUrl;
  result.pages.push(toPage(home.fetched, "home", home.text, now()));
  const picks = choosePages(home.fetched.finalUrl, home.text.links, {
    includeCareers: options.includeCareers ?? false,
    maxPages: options.maxPages,
  }).slice(1);
  for (const pick of picks) {
    try {
      const fetched = await politeFetch(pick.url);
      result.pages.push(toPage(fetched, pick.kind, extractPageText(fetched.body, fetched.finalUrl), now()));
    } catch (error) {
      const reason = error instanceof RedirectRefusedError ? error.reason : classifyFailure(error).reason;
      result.skipped.push({ url: pick.url, kind: pick.kind, reason });
    }
  }

  result.wordCount = distinctWordCount(result.pages.map((p) => p.text));
  if (looksParked(home.text)) {
    result.status = "thin";
    result.reason = "parked_domain";
  } else if (result.wordCount < thinMinWords) {
    result.status = "thin";
    result.reason = `${result.wordCount} words < ${thinMinWords}`;
  } else {
    result.status = "ok";
    result.reason = undefined;
  }
  return result;
}

function toPage(fetched: SafeFetchResult, kind: PageKind, text: PageText, fetchedAt: Date): CrawledPage {
  return {
    url: fetched.finalUrl,
    kind,
    status: fetched.status,
    title: text.title,
    description: text.description,
    text: text.text,
    sha256: createHash("sha256").update(text.text).digest("hex"),
    bytes: fetched.bytes,
    fetchedAt: fetchedAt.toISOString(),
    emails: text.emails,
    phones: text.phones,
    organizations: text.organizations,
  };
}
