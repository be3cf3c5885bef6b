import { describe, expect, it } from "vitest";
import { type ServedRecord } from "../sims/dev-world/service-log";
import { companyChain, nightlyBound, politenessGapMs, type BoundSettings } from "./nightly-bound";

const settings: BoundSettings = {
  crawl: { minDelayMs: 1000, maxCrawlDelayS: 10 },
  llm: { requestsPerMinute: 500 },
  tavily: { requestsPerMinute: 1000 },
  zeroBounce: { callsPerWindow: 5, batchSize: 200 },
};

const page = (uen: string, host: string, ms: number, extra: Partial<ServedRecord> = {}): ServedRecord => ({
  vendor: "web",
  uen,
  kind: "page",
  ms,
  status: 200,
  host,
  ...extra,
});
const call = (vendor: ServedRecord["vendor"], uen: string | null, ms: number, kind = "x", extra: Partial<ServedRecord> = {}): ServedRecord => ({
  vendor,
  uen,
  kind,
  ms,
  status: 200,
  ...extra,
});
const batch = (ms: number, items: number) => call("zerobounce", null, ms, "/v2/validatebatch", { items });

describe("the politeness gap", () => {
  it("is the crawler's minimum delay unless robots.txt asks for longer, capped at the crawler's maximum", () => {
    expect(politenessGapMs(settings.crawl, undefined)).toBe(1000);
    expect(politenessGapMs(settings.crawl, 3)).toBe(3000);
    expect(politenessGapMs(settings.crawl, 30)).toBe(10_000);
  });
});

describe("a company's chain", () => {
  it("adds a host's service times and the gaps between its requests, robots.txt's included", () => {
    const records = [page("A", "a.sg", 100, { kind: "robots" }), page("A", "a.sg", 300), page("A", "a.sg", 200), page("A", "a.sg", 400)];
    // 1,000 ms of service times, a gap of 1 s after each of the first three requests.
    expect(companyChain("A", records, settings).webS).toBe(4);
  });

  it("honours a host's Crawl-delay and keeps the longest host when several were probed", () => {
    const records = [page("A", "a.sg", 500, { crawlDelayS: 5 }), page("A", "a.sg", 500, { crawlDelayS: 5 }), page("A", "a-guess.sg", 4000)];
    expect(companyChain("A", records, settings).webS).toBe(6);
  });

  it("runs Tavily and extraction beside the Apify chain after the crawl, then Lusha", () => {
    const records = [
      page("A", "a.sg", 1000),
      call("tavily", "A", 2000),
      call("llm", "A", 3000, "company_profile"),
      call("apify", "A", 12_000),
      call("apify", "A", 10_000),
      call("lusha", "A", 500),
    ];
    const chain = companyChain("A", records, settings);
    expect(chain).toMatchObject({ webS: 1, tavilyS: 2, extractS: 3, apifyS: 22, lushaS: 0.5 });
    expect(chain.chainS).toBe(1 + 22 + 0.5);
    const withoutApify = companyChain(
      "A",
      records.filter((r) => r.vendor !== "apify"),
      settings,
    );
    expect(withoutApify.chainS).toBe(1 + 2 + 3 + 0.5);
  });

  it("keeps one politeness sequence and one extraction for a website several registry companies share", () => {
    const records = [
      page("A", "a.sg", 500),
      page("A", "a.sg", 500),
      page("A", "a.sg", 500),
      call("llm", "A", 3000, "company_profile"),
      call("llm", "A", 1000, "company_profile"),
    ];
    // Three requests on one host (1.5 s served, two 1-s gaps), then the shorter of the two extractions.
    expect(companyChain("A", records, settings)).toMatchObject({ webS: 3.5, extractS: 1, chainS: 4.5 });
  });

  it("leaves free-text LLM calls (cached rationales that name no company) out of the chain", () => {
    expect(companyChain("A", [call("llm", "A", 2000, "company_profile"), call("llm", "A", 9000, "text")], settings).extractS).toBe(2);
  });
});

describe("the nightly bound", () => {
  it("is the slowest company's chain plus one verification batch when no vendor window binds", () => {
    const served = [
      page("A", "a.sg", 1000),
      call("apify", "A", 20_000),
      page("B", "b.sg", 1000),
      call("apify", "B", 40_000),
      batch(2500, 150),
      batch(1800, 10),
    ];
    const bound = nightlyBound(served, settings);
    expect(bound.slowest?.uen).toBe("B");
    expect(bound.terms.company_chain).toBe(41 + 1.8);
    expect(bound.binding).toBe("company_chain");
    expect(bound.bound_s).toBe(42.8);
    expect(bound.chainSecondsTotal).toBe(21 + 41);
  });

  it("puts an actor run several companies shared on each one's chain", () => {
    const served = [
      page("A", "a.sg", 1000),
      page("B", "b.sg", 1000),
      // One company-actor run for both (a batch), then each one's own employees run.
      call("apify", "A", 50_000, "harvestapi~linkedin-company", { uens: ["A", "B"] }),
      call("apify", "A", 10_000, "harvestapi~linkedin-company-employees"),
      call("apify", "B", 20_000, "harvestapi~linkedin-company-employees"),
    ];
    const bound = nightlyBound(served, settings);
    expect(bound.slowest).toMatchObject({ uen: "B", apifyS: 70, chainS: 71 });
    expect(bound.chainSecondsTotal).toBe(61 + 71);
  });

  it("counts the LLM's requests per minute in whole sliding windows, then serves the last call", () => {
    const calls = (n: number) => Array.from({ length: n }, () => call("llm", null, 800, "text"));
    // 500 calls fit in one window: only the service time.
    expect(nightlyBound(calls(500), settings).terms.llm_window).toBe(0.8);
    // 501 calls: the 501st starts once the first leaves the window.
    expect(nightlyBound(calls(501), settings).terms.llm_window).toBe(60.8);
    const bound = nightlyBound(calls(1300), settings);
    expect(bound.terms.llm_window).toBe(120.8);
    expect(bound.binding).toBe("llm_window");
    expect(bound.llmCalls).toBe(1300);
  });

  it("counts the Tavily key's requests per minute in whole sliding windows, without the refused ones", () => {
    const searches = (n: number) => Array.from({ length: n }, () => call("tavily", null, 1200));
    expect(nightlyBound(searches(1000), settings).terms.tavily_window).toBe(1.2);
    const bound = nightlyBound([...searches(5500), call("tavily", null, 0, "search", { status: 429 })], settings);
    // 5,500 searches: the 5,001st starts five windows after the first.
    expect(bound.terms.tavily_window).toBe(301.2);
    expect(bound.binding).toBe("tavily_window");
    expect(bound.tavilyCalls).toBe(5500);
  });

  it("does not count LLM requests the account refused", () => {
    const served = [...Array.from({ length: 500 }, () => call("llm", null, 800, "text")), call("llm", null, 0, "text", { status: 429 })];
    expect(nightlyBound(served, settings).terms.llm_window).toBe(0.8);
  });

  it("needs ZeroBounce batches for the addresses verified, five a rolling minute", () => {
    // 2,300 addresses need 12 batches, whatever part batches were sent: two more windows after the first.
    const served = Array.from({ length: 23 }, () => batch(2000, 100));
    const bound = nightlyBound(served, settings);
    expect(bound.zeroBounceBatchesNeeded).toBe(12);
    expect(bound.terms.zerobounce_window).toBe(122);
    expect(bound.binding).toBe("zerobounce_window");
  });

  it("is zero with nothing served", () => {
    expect(nightlyBound([], settings)).toMatchObject({
      bound_s: 0,
      slowest: null,
      terms: { company_chain: 0, llm_window: 0, tavily_window: 0, zerobounce_window: 0 },
    });
  });
});
