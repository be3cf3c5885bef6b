import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { crawlerEnv, crawlerSettings, robotsToken } from "./config.server";
import { createCrawler, crawlerWiring } from "./crawler.server";

describe("crawler configuration", () => {
  it("has polite defaults", () => {
    const settings = crawlerSettings(crawlerEnv.parse({}));
    expect(settings).toMatchObject({
      userAgent: "NexiusLeadsBot/1.0 (+https://nexius.example/bot)",
      robotsToken: "NexiusLeadsBot",
      minDelayMs: 1000,
      maxCrawlDelayS: 10,
      concurrency: 64,
    });
    expect(settings.connectTimeoutMs).toBeLessThanOrEqual(settings.totalTimeoutMs);
  });

  it("reads the dev-world settings and refuses overrides in production", () => {
    const env = crawlerEnv.parse({ CRAWLER_OFFLINE: "1", CRAWLER_SCHEMES: "http", CRAWLER_HOST_OVERRIDES: '{"codigo.com.sg":"127.0.0.1:4100"}' });
    expect(crawlerWiring(env, "development")).toEqual({
      production: false,
      offline: true,
      schemes: ["http"],
      hostOverrides: { "codigo.com.sg": "127.0.0.1:4100" },
    });
    expect(() => createCrawler(crawlerSettings(env), crawlerWiring(env, "production"))).toThrow(/production/);
    expect(crawlerEnv.safeParse({ CRAWLER_HOST_OVERRIDES: "not json" }).success).toBe(false);
    expect(crawlerEnv.safeParse({ CRAWLER_SCHEMES: "ftp" }).success).toBe(false);
  });

  it("reads a host map too big for an env var from a file; inline entries win", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "crawler-hosts-")), "hosts.json");
    writeFileSync(file, JSON.stringify({ "codigo.com.sg": "127.0.0.1:4100", "www.codigo.com.sg": "127.0.0.1:4100" }));
    const env = crawlerEnv.parse({ CRAWLER_HOST_OVERRIDES_FILE: file, CRAWLER_HOST_OVERRIDES: '{"codigo.com.sg":"127.0.0.1:4200"}' });
    expect(crawlerWiring(env, "development").hostOverrides).toEqual({ "codigo.com.sg": "127.0.0.1:4200", "www.codigo.com.sg": "127.0.0.1:4100" });
    expect(crawlerEnv.safeParse({ CRAWLER_HOST_OVERRIDES_FILE: path.join(path.dirname(file), "missing.json") }).success).toBe(false);
  });

  it("derives the robots.txt product token from the user agent", () => {
    expect(robotsToken("Mozilla/5.0 (compatible)")).toBe("Mozilla");
    expect(robotsToken("Nexius_Leads-Bot2/1.0")).toBe("Nexius_Leads-Bot");
  });
});
