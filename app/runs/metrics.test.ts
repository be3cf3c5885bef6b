import { describe, expect, it } from "vitest";
import { computeRunMetrics, degradedReasons, type CompanyOutcome } from "./metrics";

const company = (over: Partial<CompanyOutcome>): CompanyOutcome => ({
  uen: "U",
  status: "done",
  domain: true,
  about: true,
  crawlStatus: "ok",
  tavilyUsed: false,
  contactsStatus: "ok",
  usableEmails: 1,
  contacts: 1,
  bucket: "Medium",
  rationaleSource: "cache",
  filteredOut: false,
  ...over,
});

describe("computeRunMetrics", () => {
  it("computes the acceptance rates over the run's companies", () => {
    const metrics = computeRunMetrics({
      companies: [
        company({ uen: "1", bucket: "High", rationaleSource: "llm" }),
        company({ uen: "2", domain: false, about: false, crawlStatus: null, usableEmails: 0, bucket: "Low" }),
        company({ uen: "3", crawlStatus: "thin", tavilyUsed: true, contactsStatus: "quota", contacts: 0 }),
        company({ uen: "4", status: "failed", bucket: null, rationaleSource: null, usableEmails: 0 }),
      ],
      candidatesTotal: 500,
      vendors: [{ vendor: "tavily", calls: 10, units: 10, costUsd: 0.08, errors: 2, cacheHits: 0 }],
      latency: [],
    });
    expect(metrics).toMatchObject({
      companies: 4,
      failed: 1,
      candidates_total: 500,
      domain_rate: 0.75,
      about_rate: 0.75,
      email_rate: 0.5,
      crawl_success_rate: 0.667,
      tavily_fallback_rate: 0.25,
      contacts_available_rate: 0.75,
      // Companies 2 (no website) and 3 (thin site) had no solid website content; 2 still has a contact.
      thin_contact_rate: 0.5,
      score_distribution: { High: 1, Medium: 1, Low: 1 },
      max_bucket_share: 0.333,
      rationale_cache_hit_rate: 0.667,
      vendor_error_rate: 0.2,
    });
  });

  it("gives zero rates, not NaN, for an empty run", () => {
    const metrics = computeRunMetrics({ companies: [], candidatesTotal: 0, vendors: [], latency: [] });
    expect(metrics.domain_rate).toBe(0);
    expect(metrics.max_bucket_share).toBe(0);
  });

  it("explains degradation: earlier reasons, failing vendors and failed companies", () => {
    const metrics = computeRunMetrics({
      companies: [company({ status: "failed", bucket: null })],
      candidatesTotal: 1,
      vendors: [{ vendor: "zerobounce", calls: 4, units: 800, costUsd: 6.4, errors: 1, cacheHits: 0 }],
      latency: [],
    });
    expect(degradedReasons(metrics, ["industry-only fallback"])).toEqual([
      "industry-only fallback",
      "zerobounce: 1 of 4 calls failed",
      "1 of 1 companies could not be enriched",
    ]);
  });
});
