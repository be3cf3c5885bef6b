import { type CrawlerEnv, type CrawlerSettings } from "./config.server";
import { crawlSite, type CrawlOptions, type CrawlResult } from "./crawl-site.server";
import { discoverDomain, type DiscoveryResult } from "./domain-discovery.server";
import { createPoliteness, type Clock, type Politeness, type SharedHostGate } from "./politeness.server";
import { createHostResolver, type DnsLookup, type HostResolver } from "./resolver.server";
import { createRobotsCache, type RobotsCache } from "./robots.server";
import { createSafeFetcher, type SafeFetcher } from "./safe-fetch.server";

export type CrawlerWiring = {
  production: boolean;
  /** Dev world: fixture host → "127.0.0.1:port". Refused in production. */
  hostOverrides?: Record<string, string>;
  /** Unknown hosts fail as NXDOMAIN instead of reaching real DNS (the dev world). */
  offline?: boolean;
  /** Homepage schemes in order; the dev world serves plain http only. */
  schemes?: Array<"https" | "http">;
  lookup?: DnsLookup;
  clock?: Clock;
  /** Per-host spacing shared with the other worker processes. */
  sharedHosts?: SharedHostGate;
};

export type Crawler = {
  resolver: HostResolver;
  fetcher: SafeFetcher;
  robots: RobotsCache;
  politeness: Politeness;
  crawl(domain: string, options?: Partial<CrawlOptions>): Promise<CrawlResult>;
  discover(registryName: string): Promise<DiscoveryResult>;
  close(): Promise<void>;
};

export function crawlerWiring(env: CrawlerEnv, nodeEnv: string): CrawlerWiring {
  return {
    production: nodeEnv === "production",
    hostOverrides:
      env.CRAWLER_HOST_OVERRIDES_FILE || env.CRAWLER_HOST_OVERRIDES ? { ...env.CRAWLER_HOST_OVERRIDES_FILE, ...env.CRAWLER_HOST_OVERRIDES } : undefined,
    offline: env.CRAWLER_OFFLINE,
    schemes: env.CRAWLER_SCHEMES,
  };
}

/** One crawler per process (or per run): it owns the connection pool, robots cache and per-host gates. */
export function createCrawler(settings: CrawlerSettings, wiring: CrawlerWiring): Crawler {
  const resolver = createHostResolver({
    production: wiring.production,
    overrides: wiring.hostOverrides,
    offline: wiring.offline,
    lookup: wiring.lookup,
  });
  const fetcher = createSafeFetcher({
    resolver,
    userAgent: settings.userAgent,
    connectTimeoutMs: settings.connectTimeoutMs,
    headersTimeoutMs: settings.headersTimeoutMs,
    totalTimeoutMs: settings.totalTimeoutMs,
    maxBytes: settings.maxBytes,
    maxRedirects: settings.maxRedirects,
  });
  const politeness = createPoliteness({
    minDelayMs: settings.minDelayMs,
    maxCrawlDelayS: settings.maxCrawlDelayS,
    concurrency: settings.concurrency,
    clock: wiring.clock,
    shared: wiring.sharedHosts,
  });
  // robots.txt is fetched outside the per-host queue (it is consulted from inside queued
  // requests when they redirect), so it is recorded afterwards instead of queued.
  const robots = createRobotsCache({
    fetcher,
    token: settings.robotsToken,
    maxCrawlDelayS: settings.maxCrawlDelayS,
    now: wiring.clock ? () => wiring.clock!.now() : undefined,
    onFetched: (host, rules) => {
      politeness.setCrawlDelay(host, rules.crawlDelayS);
      politeness.touch(host);
    },
  });
  const deps = { resolver, fetcher, robots, politeness, schemes: wiring.schemes };
  return {
    ...deps,
    crawl: (domain, options) => crawlSite(domain, deps, { maxPages: settings.maxPages, ...options }),
    discover: (name) => discoverDomain(name, deps),
    close: () => fetcher.close(),
  };
}
