import { describe, expect, it } from "vitest";
import { crawlStatus, featureProvenance } from "./save-enrichment.server";

describe("crawlStatus", () => {
  it("is the crawl's own status, an error when a known domain gave no crawl, none without a domain", () => {
    expect(crawlStatus("harbourfreight.com.sg", { status: "blocked" })).toBe("blocked");
    expect(crawlStatus("harbourfreight.com.sg", null)).toBe("error");
    expect(crawlStatus(null, null)).toBe("none");
  });
});

describe("featureProvenance", () => {
  const at = "2026-03-31T01:02:03.000Z";
  it("names the extractor of each profile field, the domain's source and who read the pages", () => {
    expect(featureProvenance({ about_text: "llm", industry: "rules" }, "crawler:high", true, at)).toEqual({
      about_text: { source: "llm_extraction", at },
      industry: { source: "rules_extraction", at },
      domain: { source: "crawler:high", at },
      crawl: { source: "crawler+tavily", at },
    });
  });

  it("says none for a company without a domain, and crawler when Tavily was not used", () => {
    expect(featureProvenance({}, null, false, at)).toEqual({ domain: { source: "none", at }, crawl: { source: "crawler", at } });
  });
});
