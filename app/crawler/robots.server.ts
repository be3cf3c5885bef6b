import robotsParser from "robots-parser";
import { CrawlFetchError, HttpError, NotHtmlError, TooManyRedirectsError } from "./errors.server";
import { type SafeFetcher } from "./safe-fetch.server";

/**
 * robots.txt per RFC 9309, cached per origin:
 * - 2xx: parse (first 512 KiB; the RFC's parse limit is ≥ 500 KiB) and obey;
 * - 4xx or more than 5 redirects ("unavailable"): everything is allowed;
 * - 5xx, 429, network or DNS failure ("unreachable"): everything is disallowed
 *   (429 like 5xx, as Google does — a site asking us to slow down is no invitation);
 * - cached 24 h (the RFC's ceiling); an unreachable answer only briefly, so a
 *   site that was down is retried on the next run.
 */
export type RobotsState = "ok" | "unavailable" | "unreachable";

export type RobotsRules = {
  origin: string;
  state: RobotsState;
  /** Why the state is what it is, for crawl evidence and logs. */
  detail: string;
  crawlDelayS?: number;
  fetchedAt: number;
  /** The fetch failure behind an "unavailable" or "unreachable" state. */
  failure?: CrawlFetchError;
  isAllowed(url: string): boolean;
};

export type RobotsOptions = {
  fetcher: SafeFetcher;
  /** Our product token, e.g. "NexiusLeadsBot". */
  token: string;
  maxCrawlDelayS: number;
  ttlMs?: number;
  unreachableTtlMs?: number;
  now?: () => number;
  /** After each robots.txt request: lets the politeness gate count it and learn the Crawl-delay. */
  onFetched?: (host: string, rules: RobotsRules) => void;
};

export interface RobotsCache {
  rulesFor(url: string): Promise<RobotsRules>;
  /** Convenience: may `url` be fetched, and with which crawl delay (capped). */
  check(url: string): Promise<{ allowed: boolean; crawlDelayS?: number; rules: RobotsRules }>;
}

const ROBOTS_MAX_BYTES = 512 * 1024;
const ROBOTS_CONTENT_TYPES = ["text/plain", "text/html", "application/octet-stream", ""];

export function parseRobots(origin: string, body: string, token: string, maxCrawlDelayS: number, fetchedAt: number): RobotsRules {
  const robotsUrl = `${origin}/robots.txt`;
  const parsed = robotsParser(robotsUrl, body);
  const delay = parsed.getCrawlDelay(token);
  return {
    origin,
    state: "ok",
    detail: "parsed",
    crawlDelayS: typeof delay === "number" && delay > 0 ? Math.min(delay, maxCrawlDelayS) : undefined,
    fetchedAt,
    isAllowed(url) {
      if (new URL(url).pathname === "/robots.txt") return true;
      return parsed.isAllowed(url, token) !== false;
    },
  };
}

function fixed(origin: string, state: Exclude<RobotsState, "ok">, failure: CrawlFetchError, fetchedAt: number): RobotsRules {
  const detail = failure instanceof HttpError ? `HTTP ${failure.status}` : failure.name;
  return { origin, state, detail, failure, fetchedAt, isAllowed: () => state === "unavailable" };
}

export function createRobotsCache(options: RobotsOptions): RobotsCache {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const unreachableTtl = options.unreachableTtlMs ?? 10 * 60 * 1000;
  const cache = new Map<string, RobotsRules>();
  const inFlight = new Map<string, Promise<RobotsRules>>();

  async function load(origin: string): Promise<RobotsRules> {
    const fetchedAt = now();
    try {
      const result = await options.fetcher.fetch(`${origin}/robots.txt`, {
        contentTypes: ROBOTS_CONTENT_TYPES,
        maxBytes: ROBOTS_MAX_BYTES,
        truncate: true,
        maxRedirects: 5,
      });
      return parseRobots(origin, result.body, options.token, options.maxCrawlDelayS, fetchedAt);
    } catch (error) {
      if (error instanceof HttpError) {
        return fixed(origin, error.status === 429 || error.status >= 500 ? "unreachable" : "unavailable", error, fetchedAt);
      }
      if (error instanceof TooManyRedirectsError || error instanceof NotHtmlError) return fixed(origin, "unavailable", error, fetchedAt);
      if (error instanceof CrawlFetchError) return fixed(origin, "unreachable", error, fetchedAt);
      throw error;
    }
  }

  async function rulesFor(url: string): Promise<RobotsRules> {
    const origin = new URL(url).origin;
    const cached = cache.get(origin);
    if (cached && now() - cached.fetchedAt < (cached.state === "unreachable" ? unreachableTtl : ttl)) return cached;
    let pending = inFlight.get(origin);
    if (!pending) {
      pending = load(origin)
        .then((rules) => {
          options.onFetched?.(new URL(origin).hostname, rules);
          return rules;
        })
        .finally(() => inFlight.delete(origin));
      inFlight.set(origin, pending);
    }
    const rules = await pending;
    cache.set(origin, rules);
    if (cache.size > 50_000) cache.delete(cache.keys().next().value!);
    return rules;
  }

  return {
    rulesFor,
    async check(url) {
      const rules = await rulesFor(url);
      return { allowed: rules.isAllowed(url), crawlDelayS: rules.crawlDelayS, rules };
    },
  };
}
