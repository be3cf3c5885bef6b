import { readFileSync } from "node:fs";
import { z } from "zod";

const hostMap = z.record(z.string(), z.string());

/** An env variable holding a JSON map of host → "ip:port": how development reaches loopback through an SSRF-safe fetcher. */
export const hostOverridesJson = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    try {
      return hostMap.parse(JSON.parse(v));
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON object of host → ip:port" });
      return z.NEVER;
    }
  });

/** Env fragment of the deterministic crawler; the lead merges it into app/env.server.ts. */
export const crawlerEnv = z.object({
  CRAWLER_USER_AGENT: z.string().min(3).default("NexiusLeadsBot/1.0 (+https://nexius.example/bot)"),
  /** Minimum gap between two requests to one host. */
  CRAWL_MIN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** robots.txt Crawl-delay is honoured up to this many seconds. */
  CRAWL_MAX_CRAWL_DELAY_S: z.coerce.number().min(0).max(120).default(10),
  CRAWL_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
  /** Whole-request budget (DNS, connect, redirects, body); connect and headers get shares of it. */
  CRAWL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  CRAWL_MAX_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(2_000_000),
  CRAWL_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  /** Pages fetched per domain, homepage included. */
  CRAWL_MAX_PAGES: z.coerce.number().int().min(1).max(20).default(4),
  /** Dev world only: unknown hosts fail as NXDOMAIN instead of reaching real DNS. */
  CRAWLER_OFFLINE: z
    .enum(["0", "1", "true", "false", ""])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  /** Dev world only (refused in production): JSON map of fixture host → "127.0.0.1:port". */
  CRAWLER_HOST_OVERRIDES: hostOverridesJson,
  /**
   * Dev world only: the same map in a JSON file, for worlds whose map is too
   * big for one environment variable (Linux caps each at 128 KiB). Entries of
   * CRAWLER_HOST_OVERRIDES win.
   */
  CRAWLER_HOST_OVERRIDES_FILE: z
    .string()
    .optional()
    .transform((file, ctx) => {
      if (!file) return undefined;
      try {
        return hostMap.parse(JSON.parse(readFileSync(file, "utf8")));
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `must name a readable JSON file of host → ip:port (${(error as Error).message.slice(0, 120)})` });
        return z.NEVER;
      }
    }),
  /** Homepage schemes, tried in order; the dev world serves plain http. */
  CRAWLER_SCHEMES: z
    .string()
    .default("https,http")
    .transform((v) => v.split(",").map((s) => s.trim()))
    .pipe(z.array(z.enum(["https", "http"])).min(1)),
});

export type CrawlerEnv = z.infer<typeof crawlerEnv>;

export type CrawlerSettings = {
  userAgent: string;
  /** Product token matched against robots.txt user-agent lines (RFC 9309 §2.2.1). */
  robotsToken: string;
  minDelayMs: number;
  maxCrawlDelayS: number;
  concurrency: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  totalTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  maxPages: number;
};

export function crawlerSettings(env: CrawlerEnv): CrawlerSettings {
  return {
    userAgent: env.CRAWLER_USER_AGENT,
    robotsToken: robotsToken(env.CRAWLER_USER_AGENT),
    minDelayMs: env.CRAWL_MIN_DELAY_MS,
    maxCrawlDelayS: env.CRAWL_MAX_CRAWL_DELAY_S,
    concurrency: env.CRAWL_CONCURRENCY,
    connectTimeoutMs: Math.min(env.CRAWL_TIMEOUT_MS, Math.max(1000, Math.round(env.CRAWL_TIMEOUT_MS / 3))),
    headersTimeoutMs: Math.min(env.CRAWL_TIMEOUT_MS, Math.max(1000, Math.round((env.CRAWL_TIMEOUT_MS * 2) / 3))),
    totalTimeoutMs: env.CRAWL_TIMEOUT_MS,
    maxBytes: env.CRAWL_MAX_BYTES,
    maxRedirects: env.CRAWL_MAX_REDIRECTS,
    maxPages: env.CRAWL_MAX_PAGES,
  };
}

/** "NexiusLeadsBot/1.0 (+…)" → "NexiusLeadsBot": the token may hold only a-z, A-Z, "_" and "-". */
export function robotsToken(userAgent: string): string {
  const token = userAgent.split(/[/\s]/)[0]!.replace(/[^A-Za-z_-]/g, "");
  return token || "*";
}
