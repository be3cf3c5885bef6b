import { describe, expect, it } from "vitest";
import { bucketKpiDays, bucketSize, dealsHref, performanceLine, stageConversion, teamAndRepFacts } from "./performance";

const day = (d: string, facts: Partial<{ won: number; lost: number; wonValue: number; cycleDaysTotal: number; activitiesDone: number }> = {}) => ({
  day: d,
  won: 0,
  lost: 0,
  wonValue: 0,
  cycleDaysTotal: 0,
  activitiesDone: 0,
  ...facts,
});

describe("KPI buckets", () => {
  it("are days up to a month, weeks up to half a year, months beyond", () => {
    expect(bucketSize("2026-11-01", "2026-12-01")).toBe("day");
    expect(bucketSize("2026-11-01", "2026-12-02")).toBe("week");
    expect(bucketSize("2026-01-01", "2026-07-01")).toBe("week");
    expect(bucketSize("2026-01-01", "2026-07-02")).toBe("month");
  });

  it("sum a Singapore week's facts from Monday and derive its ratios from the sums", () => {
    const buckets = bucketKpiDays(
      [
        day("2026-11-29", { won: 1, wonValue: 100, cycleDaysTotal: 10 }), // Sunday
        day("2026-11-30", { won: 1, lost: 2, wonValue: 300, cycleDaysTotal: 30, activitiesDone: 4 }), // Monday
        day("2026-12-06", { won: 1, wonValue: 200, cycleDaysTotal: 5 }), // Sunday
      ],
      "week",
    );
    expect(buckets.map((b) => [b.bucket, b.from, b.to])).toEqual([
      ["2026-11-23", "2026-11-29", "2026-11-29"],
      ["2026-11-30", "2026-11-30", "2026-12-06"],
    ]);
    expect(buckets[1]).toMatchObject({ won: 2, lost: 2, wonValue: 500, winRate: 0.5, averageDealSize: 250, averageCycleDays: 17.5, activitiesDone: 4 });
    expect(bucketKpiDays([day("2026-11-30"), day("2026-12-01")], "month").map((b) => b.bucket)).toEqual(["2026-11-01", "2026-12-01"]);
  });
});

describe("performanceLine", () => {
  it("divides activities by the reps who did any, and leaves ratios empty without a closed deal", () => {
    expect(performanceLine({ won: 0, lost: 0, wonValue: 0, cycleDaysTotal: 0, activitiesDone: 9 }, 3)).toMatchObject({
      activitiesPerRep: 3,
      winRate: null,
      averageDealSize: null,
      averageCycleDays: null,
    });
    expect(performanceLine({ won: 1, lost: 3, wonValue: 80, cycleDaysTotal: 12, activitiesDone: 0 }, 0)).toMatchObject({
      activitiesPerRep: null,
      winRate: 0.25,
      averageDealSize: 80,
      averageCycleDays: 12,
    });
  });
});

describe("teamAndRepFacts", () => {
  const facts = (won: number, wonValue: number, activitiesDone: number) => ({ won, lost: 0, wonValue, cycleDaysTotal: won * 10, activitiesDone });
  it("adds up each team and each rep, counting a team's reps who did any activity there once", () => {
    const { teams, reps } = teamAndRepFacts([
      { ownerId: "ann", teamId: "north", ...facts(1, 100, 3) },
      { ownerId: "bob", teamId: "north", ...facts(2, 50, 0) },
      // Ann moved to south during the period: her facts count for both teams, she is one rep.
      { ownerId: "ann", teamId: "south", ...facts(0, 0, 2) },
      { ownerId: null, teamId: null, ...facts(1, 10, 1) },
    ]);
    expect(teams).toEqual([
      { id: "north", ...facts(3, 150, 3), reps: 1 },
      { id: "south", ...facts(0, 0, 2), reps: 1 },
      { id: null, ...facts(1, 10, 1), reps: 1 },
    ]);
    expect(reps).toEqual([
      { id: "ann", ...facts(1, 100, 5), reps: 1 },
      { id: "bob", ...facts(2, 50, 0), reps: 0 },
      { id: null, ...facts(1, 10, 1), reps: 1 },
    ]);
  });
});

describe("stageConversion", () => {
  it("counts a deal as having reached its stage and the ones before, a won deal every stage", () => {
    const stages = stageConversion([
      { stage: "Qualified", sequence: 2, outcome: "open", count: 3 },
      { stage: "New", sequence: 1, outcome: "open", count: 4 },
      { stage: "New", sequence: 1, outcome: "lost", count: 2 },
      { stage: "Proposition", sequence: 3, outcome: "lost", count: 1 },
      { stage: "Won", sequence: 4, outcome: "won", count: 2 },
      { stage: "lead", sequence: null, outcome: "open", count: 8 },
    ]);
    expect(stages).toEqual([
      { stage: "lead", reached: 20, wentOn: 12, rate: 12 / 20 },
      { stage: "New", reached: 12, wentOn: 6, rate: 0.5 },
      { stage: "Qualified", reached: 6, wentOn: 3, rate: 0.5 },
      { stage: "Proposition", reached: 3, wentOn: 2, rate: 2 / 3 },
    ]);
    expect(stageConversion([])).toEqual([]);
  });
});

describe("dealsHref", () => {
  it("links to the opportunities list with the contract's parameters, empty ones left out", () => {
    expect(dealsHref({ outcome: "won", team: "t1", owner: undefined })).toBe("/app/opportunities?outcome=won&team=t1");
    expect(dealsHref({})).toBe("/app/opportunities");
  });
});
