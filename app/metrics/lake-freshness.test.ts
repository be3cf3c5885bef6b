import { describe, expect, it } from "vitest";
import { freshnessSeries } from "./lake-freshness";

const now = new Date("2026-12-05T04:00:00Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe("freshnessSeries", () => {
  const rows = [
    { tenant: "acme", source: "odoo", lastSuccessAt: minutesAgo(10), slaMinutes: 120 },
    { tenant: "globex", source: "odoo", lastSuccessAt: minutesAgo(200), slaMinutes: 120 },
    { tenant: "acme", source: "m365", lastSuccessAt: null, slaMinutes: 120 },
  ];

  it("reports per source the stalest tenant's age and counts fresh, stale and never-synced sources", () => {
    const series = freshnessSeries(rows, now);
    expect(Object.fromEntries(series.oldestSeconds)).toEqual({ odoo: 200 * 60 });
    expect(series.counts).toEqual(
      expect.arrayContaining([
        { source: "odoo", freshness: "fresh", count: 1 },
        { source: "odoo", freshness: "stale", count: 1 },
        { source: "m365", freshness: "never", count: 1 },
      ]),
    );
    expect(series.counts).toHaveLength(3);
  });

  it("lists each tenant's age up to the cap, and none beyond it", () => {
    expect(freshnessSeries(rows, now, 3).perTenant).toEqual([
      { tenant: "acme", source: "odoo", seconds: 600 },
      { tenant: "globex", source: "odoo", seconds: 12_000 },
    ]);
    expect(freshnessSeries(rows, now, 2).perTenant).toBeNull();
  });
});
