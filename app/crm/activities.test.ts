import { describe, expect, it } from "vitest";
import { aboutHref, activityQuery, recentWeeks, volumeGrid, weekOf } from "./activities";

describe("Singapore weeks", () => {
  it("start on Monday", () => {
    expect(weekOf("2026-12-07")).toBe("2026-12-07"); // a Monday
    expect(weekOf("2026-12-13")).toBe("2026-12-07"); // the Sunday after
    expect(weekOf("2026-12-01")).toBe("2026-11-30"); // across a month
    expect(weekOf("2027-01-01")).toBe("2026-12-28"); // across a year
  });

  it("follow Singapore clocks: Sunday 23:30 there is still last week, Monday 00:30 the new one", () => {
    expect(recentWeeks(new Date("2026-12-13T15:30:00Z"), 2)).toEqual(["2026-11-30", "2026-12-07"]);
    expect(recentWeeks(new Date("2026-12-13T16:30:00Z"), 2)).toEqual(["2026-12-07", "2026-12-14"]);
    expect(recentWeeks(new Date("2026-12-05T00:00:00Z"))).toHaveLength(12);
    expect(recentWeeks(new Date("2026-12-05T00:00:00Z"))[0]).toBe("2026-09-14");
  });
});

describe("volumeGrid", () => {
  it("places each rep's weekly counts, fills empty weeks with zeros and drops weeks outside", () => {
    const grid = volumeGrid(
      [
        { ownerId: "a", ownerName: "Aisha", week: "2026-11-30", done: 2 },
        { ownerId: "b", ownerName: "Ben", week: "2026-11-23", done: 5 },
        { ownerId: "a", ownerName: "Aisha", week: "2026-11-23", done: 1 },
        { ownerId: null, ownerName: null, week: "2026-11-30", done: 1 },
        { ownerId: "b", ownerName: "Ben", week: "2026-01-05", done: 9 },
      ],
      ["2026-11-23", "2026-11-30"],
    );
    expect(grid.reps).toEqual([
      { ownerId: "b", ownerName: "Ben", weeks: [5, 0], total: 5 },
      { ownerId: "a", ownerName: "Aisha", weeks: [1, 2], total: 3 },
      { ownerId: null, ownerName: null, weeks: [0, 1], total: 1 },
    ]);
    expect(grid.totals).toEqual([6, 3]);
  });
});

describe("activity links", () => {
  it("carry the filters, leaving out the default view", () => {
    expect(activityQuery({ view: "done" })).toBe("");
    expect(activityQuery({ view: "overdue", type: "Call", owner: "o1", team: "t1" }, "abc")).toBe("view=overdue&type=Call&owner=o1&team=t1&cursor=abc");
  });

  it("lead to the deal's page, or the account or contact in the Data browser", () => {
    expect(aboutHref({ kind: "opportunity", id: "x" })).toBe("/app/opportunities/x");
    expect(aboutHref({ kind: "contact", id: "y" })).toBe("/app/data/contacts/y");
    expect(aboutHref({ kind: "user", id: "z" })).toBeNull();
  });
});
