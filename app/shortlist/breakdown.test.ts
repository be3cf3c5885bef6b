import { describe, expect, it } from "vitest";
import { DEFAULT_SCORE_THRESHOLDS, scoreLead, type LeadSignals } from "~/scoring/score";
import { readBreakdown } from "./breakdown";

const signals: LeadSignals = {
  icp: { match: "rules", ssicMatched: true, employeeRange: { min: 10, max: 200 } },
  registry: { status: "Live Company", entityType: "Local Company", incorporatedOn: "2015-03-01" },
  enrichment: {
    domainConfidence: "high",
    headcountEstimate: 40,
    aboutTextPresent: true,
    crawlStatus: "ok",
    tavilyUsed: false,
    productsCount: 3,
    locationsIncludeSingapore: true,
  },
  contacts: { vendor: "available", roleQualified: 2, verifiedEmails: 1, unknownEmails: 0 },
  asOf: "2026-11-22",
};

describe("readBreakdown", () => {
  it("reads what the scorer writes, with labels, and its points add up to the score", () => {
    const result = scoreLead(signals, DEFAULT_SCORE_THRESHOLDS);
    const rows = readBreakdown(JSON.parse(JSON.stringify(result.breakdown)));
    expect(rows).toHaveLength(result.breakdown.length);
    expect(rows.find((r) => r.feature === "decision_makers")).toMatchObject({ label: "Decision-makers", signal: "two", weight: 16 });
    expect(rows.reduce((sum, r) => sum + r.points, 0)).toBeCloseTo(result.score, 0);
  });

  it("skips unreadable items and tolerates a missing reason", () => {
    expect(readBreakdown([{ feature: "novel_signal", weight: 3, points: 1 }, { feature: 1 }, "x"])).toEqual([
      { feature: "novel_signal", label: "Novel signal", signal: null, weight: 3, points: 1, reason: null },
    ]);
    expect(readBreakdown({ not: "a list" })).toEqual([]);
  });
});
