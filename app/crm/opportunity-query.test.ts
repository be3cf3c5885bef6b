import { describe, expect, it } from "vitest";
import {
  exportSearch,
  givenParams,
  OpportunityFilterQuery,
  OpportunityListQuery,
  opportunityFiltersOf,
  sortOptionLabel,
  toggledSort,
} from "./opportunity-query";

const owner = "0b6f3a52-6f1e-4a8e-9d0c-2f5b7c1d9e10";
const parse = (search: string) => OpportunityListQuery.safeParse(givenParams(new URLSearchParams(search)));

describe("the deal list's query", () => {
  it("reads every contract parameter, an empty one counting as none", () => {
    const query = parse(`stage=Proposition&owner=${owner}&team=&tag=VIP&outcome=open&closing=overdue&opened_from=2026-06&opened_to=2026-11&sort=-age`);
    expect(query.success && query.data).toEqual({
      stage: "Proposition",
      owner,
      tag: "VIP",
      outcome: "open",
      closing: "overdue",
      opened_from: "2026-06",
      opened_to: "2026-11",
      sort: "-age",
      limit: 50,
    });
    expect(query.success && opportunityFiltersOf(query.data)).toEqual({
      stage: "Proposition",
      ownerId: owner,
      teamId: undefined,
      tag: "VIP",
      outcome: "open",
      closing: "overdue",
      openedFrom: "2026-06",
      openedTo: "2026-11",
    });
  });

  it("reads the deals behind a Lead engine outcome figure: any pushed_* parameter means the pushed leads' deals", () => {
    const run = "5d1c0f7e-8a3b-4c2d-9e1f-0a1b2c3d4e5f";
    const filters = (search: string) => {
      const query = parse(search);
      return query.success ? opportunityFiltersOf(query.data).pushed : "refused";
    };
    expect(filters("pushed=1&outcome=won")).toEqual({ runId: undefined, icpVersion: undefined, bucket: undefined });
    expect(filters(`pushed=1&pushed_run=${run}`)).toEqual({ runId: run, icpVersion: undefined, bucket: undefined });
    expect(filters("pushed_icp=3&pushed_bucket=High")).toEqual({ runId: undefined, icpVersion: 3, bucket: "High" });
    expect(filters("pushed=1&pushed_icp=none")).toEqual({ runId: undefined, icpVersion: null, bucket: undefined });
    expect(filters("stage=Won")).toBeUndefined();
    for (const bad of ["pushed=yes", "pushed_run=7", "pushed_icp=0", "pushed_icp=v2", "pushed_bucket=Top"]) expect(filters(bad), bad).toBe("refused");
  });

  it("refuses an unknown parameter, sort, outcome or closing, a bad month and months out of order", () => {
    for (const bad of [
      "colour=red",
      "sort=name",
      "outcome=pending",
      "closing=next_week",
      "opened_from=2026-13",
      "opened_from=0000-01",
      "opened_to=0000-12",
      "opened_from=2026-11&opened_to=2026-06",
      "owner=7",
      "limit=201",
    ]) {
      expect(parse(bad).success, bad).toBe(false);
    }
  });

  it("exports with the page's filters and sort but not its paging", () => {
    expect(exportSearch("?stage=Won&cursor=abc&limit=20&sort=-value")).toBe("?stage=Won&sort=-value");
    expect(OpportunityFilterQuery.safeParse({ stage: "Won", cursor: "abc" }).success).toBe(false);
  });
});

describe("sortOptionLabel", () => {
  it("says which deals come first", () => {
    expect(sortOptionLabel("-value")).toBe("Value, largest first");
    expect(sortOptionLabel("-age")).toBe("Age in stage, longest in stage first");
    expect(sortOptionLabel("deadline")).toBe("Expected closing, closing soonest first");
  });
});

describe("toggledSort", () => {
  it("sorts a column descending first, then ascending", () => {
    expect(toggledSort("-updated", "value")).toBe("-value");
    expect(toggledSort("-value", "value")).toBe("value");
    expect(toggledSort("value", "value")).toBe("-value");
  });
});
