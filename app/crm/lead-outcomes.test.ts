import { describe, expect, it } from "vitest";
import { bucketShares, pushedDealsHref, ratio, rollUpOutcomes, type OutcomeCell } from "./lead-outcomes";

function cell(overrides: Partial<OutcomeCell>): OutcomeCell {
  return {
    runId: "run-a",
    runDate: "2026-11-01",
    icpVersion: 1,
    bucket: "High",
    pushed: 0,
    withOpportunity: 0,
    withWon: 0,
    opportunities: 0,
    won: 0,
    lost: 0,
    open: 0,
    wonValue: 0,
    openValue: 0,
    ...overrides,
  };
}

const cells = [
  cell({ runId: "run-a", bucket: "High", pushed: 4, withOpportunity: 3, withWon: 2, opportunities: 3, won: 2, lost: 1, wonValue: 30_000 }),
  cell({ runId: "run-a", bucket: "Medium", pushed: 6, withOpportunity: 1, opportunities: 1, open: 1, openValue: 5_000 }),
  cell({
    runId: "run-b",
    runDate: "2026-11-20",
    icpVersion: 2,
    bucket: "High",
    pushed: 2,
    withOpportunity: 2,
    withWon: 1,
    opportunities: 2,
    won: 1,
    lost: 1,
    wonValue: 8_000,
  }),
];
const spends = [
  { runId: "run-a", costUsd: 10, scored: { High: 4, Medium: 6, Low: 10 } },
  { runId: "run-b", costUsd: 6, scored: { High: 2, Medium: 0, Low: 1 } },
];

describe("ratio", () => {
  it("divides, and says nothing when there is nothing to divide by", () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(0, 0)).toBeNull();
  });
});

describe("bucketShares", () => {
  it("splits a run's cost by the companies it scored in each bucket", () => {
    expect(bucketShares(spends[0]!)).toEqual({ High: 2, Medium: 3, Low: 5 });
  });

  it("splits nothing when the run scored no company", () => {
    expect(bucketShares({ runId: "r", costUsd: 3, scored: { High: 0, Medium: 0, Low: 0 } })).toEqual({ High: 0, Medium: 0, Low: 0 });
  });
});

describe("rollUpOutcomes", () => {
  const rollup = rollUpOutcomes(cells, spends, true);

  it("adds up the totals with their rates and the spend per won deal", () => {
    expect(rollup.totals).toEqual({
      pushed: 12,
      becameOpportunities: 6,
      wonLeads: 3,
      opportunities: 6,
      won: 3,
      lost: 2,
      open: 1,
      wonValue: 38_000,
      openValue: 5_000,
      opportunityRate: 0.5,
      conversionRate: 0.25,
      winRate: 0.6,
      spendUsd: 16,
      spendPerWonDeal: 16 / 3,
    });
  });

  it("lists runs newest first, each with its whole cost and its deal filter", () => {
    expect(rollup.byRun.map((r) => [r.key, r.pushed, r.won, r.spendUsd, r.spendPerWonDeal, r.filter])).toEqual([
      ["run-b", 2, 1, 6, 6, { pushed_run: "run-b" }],
      ["run-a", 10, 2, 10, 5, { pushed_run: "run-a" }],
    ]);
  });

  it("groups runs by ICP version, newest version first", () => {
    expect(rollup.byIcpVersion.map((g) => [g.label, g.pushed, g.spendUsd, g.filter])).toEqual([
      ["ICP v2", 2, 6, { pushed_icp: "2" }],
      ["ICP v1", 10, 10, { pushed_icp: "1" }],
    ]);
  });

  it("shows every bucket, an empty one as zero, each with its share of every run's cost and its conversion rate", () => {
    expect(rollup.byBucket.map((g) => [g.key, g.pushed, g.wonLeads, g.conversionRate, g.spendUsd, g.spendPerWonDeal])).toEqual([
      ["High", 6, 3, 0.5, 2 + 4, 2],
      ["Medium", 6, 0, 0, 3, null],
      ["Low", 0, 0, null, 5 + 2, null],
    ]);
  });

  it("puts runs without an ICP version last under their own key", () => {
    const groups = rollUpOutcomes([cell({ icpVersion: null, pushed: 1 }), cell({ runId: "run-c", icpVersion: 3, pushed: 1 })], [], true).byIcpVersion;
    expect(groups.map((g) => [g.label, g.filter])).toEqual([
      ["ICP v3", { pushed_icp: "3" }],
      ["No ICP version", { pushed_icp: "none" }],
    ]);
  });

  it("leaves every spend figure null when the caller is not shown spend", () => {
    const hidden = rollUpOutcomes(cells, spends, false);
    const all = [hidden.totals, ...hidden.byRun, ...hidden.byIcpVersion, ...hidden.byBucket];
    expect(all.every((g) => g.spendUsd === null && g.spendPerWonDeal === null)).toBe(true);
    expect(hidden.totals.conversionRate).toBe(0.25);
  });
});

describe("pushedDealsHref", () => {
  it("links to the deals from pushed leads, narrowed to the group and the outcome", () => {
    expect(pushedDealsHref({ pushed_bucket: "High" }, "won")).toBe("/app/opportunities?pushed=1&pushed_bucket=High&outcome=won");
    expect(pushedDealsHref({})).toBe("/app/opportunities?pushed=1");
  });
});
