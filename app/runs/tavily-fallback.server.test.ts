import { describe, expect, it } from "vitest";
import { type CrawlResult } from "~/crawler/crawl-site.server";
import { robotsRefusedSite, tavilyExtractUrls } from "./tavily-fallback.server";

const crawl = (over: Partial<CrawlResult>): CrawlResult => ({ domain: "acme.test", status: "thin", pages: [], skipped: [], wordCount: 0, ...over });

describe("the pages Tavily Extract may fetch", () => {
  it("is none when robots.txt refuses the site's homepage", () => {
    const refused = crawl({ status: "blocked", reason: "robots_disallow" });
    expect(robotsRefusedSite(refused)).toBe(true);
    expect(tavilyExtractUrls("acme.test", refused)).toEqual([]);
    expect(tavilyExtractUrls("acme.test", crawl({ status: "blocked", reason: "robots_unreachable" }))).toEqual([]);
  });

  it("leaves out about and contact pages the crawler skipped for robots.txt", () => {
    const thin = crawl({
      homeUrl: "https://acme.test/",
      skipped: [
        { url: "https://acme.test/about", kind: "about", reason: "robots_disallow" },
        { url: "https://acme.test/contact", kind: "contact", reason: "http_500" },
      ],
    });
    expect(tavilyExtractUrls("acme.test", thin)).toEqual(["https://acme.test/", "https://acme.test/contact"]);
  });

  it("still reads a site that blocked us by HTTP status rather than robots.txt", () => {
    const walled = crawl({ status: "blocked", reason: "http_403" });
    expect(robotsRefusedSite(walled)).toBe(false);
    expect(tavilyExtractUrls("acme.test", walled)).toEqual(["https://acme.test/"]);
  });
});
