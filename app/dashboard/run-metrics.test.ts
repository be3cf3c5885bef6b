import { describe, expect, it } from "vitest";
import { readRunMetrics, shortlistSize, trendLabels } from "./run-metrics";
import { progressPercent, stageCounts } from "./run-stages";

describe("reading a run's metrics", () => {
  it("keeps the figures a finished run wrote", () => {
    const metrics = readRunMetrics({
      companies: 10,
      email_rate: 0.75,
      score_distribution: { High: 4, Medium: 3, Low: 2 },
      vendors: [{ vendor: "llm", calls: 10, units: 9000, costUsd: 0.0054, errors: 0, cacheHits: 2 }],
      latency_ms: [{ stage: "crawl", p50: 400, p95: 900, count: 10 }],
    });
    expect(metrics.email_rate).toBe(0.75);
    expect(shortlistSize(metrics)).toBe(9);
    expect(metrics.vendors?.[0]?.vendor).toBe("llm");
  });

  it("reads an unfinished or foreign shape as missing figures instead of failing", () => {
    expect(readRunMetrics(null)).toEqual({});
    expect(readRunMetrics("nonsense")).toEqual({});
    const odd = readRunMetrics({ companies: 3, email_rate: 7, score_distribution: { High: "x" }, vendors: "none" });
    expect(odd.companies).toBe(3);
    expect(odd.email_rate).toBe(0);
    expect(odd.score_distribution).toBeUndefined();
    expect(odd.vendors).toBeUndefined();
    expect(shortlistSize(odd)).toBe(3);
    expect(shortlistSize({})).toBeNull();
  });
});

describe("trend labels", () => {
  it("labels trend points by date, numbering a day's second run", () => {
    expect(trendLabels(["2026-11-20", "2026-11-21", "2026-11-21", "2026-11-22"])).toEqual(["20 Nov", "21 Nov", "21 Nov (2)", "22 Nov"]);
  });
});

describe("run progress", () => {
  it("lists every stage in pipeline order, then stages it does not know", () => {
    const counts = stageCounts({ crawl: 3, score: 1, queued: 2, odoo_push: 1 });
    expect(counts[0]).toEqual({ key: "queued", label: "Queued", count: 2 });
    expect(counts.find((c) => c.key === "crawl")?.count).toBe(3);
    expect(counts.find((c) => c.key === "merge")?.count).toBe(0);
    expect(counts.at(-1)).toEqual({ key: "odoo_push", label: "Odoo push", count: 1 });
  });

  it("reaches 100 % only when every company settled", () => {
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(199, 200)).toBe(99);
    expect(progressPercent(200, 200)).toBe(100);
  });
});
