import { describe, expect, it } from "vitest";
import { overviewPeriods } from "./overview-periods";

describe("overviewPeriods", () => {
  it("takes months and days on Singapore clocks", () => {
    // 17:00 UTC on 31 Jan is 01:00 on 1 Feb in Singapore.
    expect(overviewPeriods(new Date("2026-01-31T17:00:00Z"))).toEqual({
      today: "2026-02-01",
      thisMonth: "2026-02-01",
      lastMonth: "2026-01-01",
      nextMonth: "2026-03-01",
      last30Days: "2026-01-03",
    });
  });

  it("crosses the year in both directions", () => {
    expect(overviewPeriods(new Date("2026-01-10T00:00:00Z"))).toMatchObject({ lastMonth: "2025-12-01", nextMonth: "2026-02-01" });
    expect(overviewPeriods(new Date("2026-12-10T00:00:00Z"))).toMatchObject({ lastMonth: "2026-11-01", nextMonth: "2027-01-01" });
  });
});
