import { describe, expect, it } from "vitest";
import { staleSourceAlert } from "./freshness-alert";

describe("staleSourceAlert", () => {
  const now = new Date("2026-12-05T10:00:00Z");
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

  it("stays quiet within the SLA and raises one warning per source beyond it", () => {
    expect(staleSourceAlert("odoo", { lastSuccessAt: minutesAgo(120), connectedAt: minutesAgo(900), freshnessSlaMinutes: 120 }, now)).toBeNull();
    expect(staleSourceAlert("odoo", { lastSuccessAt: minutesAgo(181), connectedAt: minutesAgo(900), freshnessSlaMinutes: 120 }, now)).toEqual({
      kind: "lake_stale_odoo",
      severity: "warning",
      message: "Odoo last synced successfully 3 h ago, beyond its 2 h freshness target.",
      details: { source: "odoo", ageMinutes: 181, freshnessSlaMinutes: 120, lastSuccessAt: "2026-12-05T06:59:00.000Z" },
    });
  });

  it("measures a source never synced from its connection", () => {
    expect(staleSourceAlert("m365", { lastSuccessAt: null, connectedAt: minutesAgo(30), freshnessSlaMinutes: 60 }, now)).toBeNull();
    expect(staleSourceAlert("m365", { lastSuccessAt: null, connectedAt: minutesAgo(90), freshnessSlaMinutes: 60 }, now)?.message).toBe(
      "Microsoft 365 has not synced successfully since it was connected 1 h ago (freshness target 1 h).",
    );
    expect(staleSourceAlert("m365", { lastSuccessAt: null, connectedAt: null, freshnessSlaMinutes: 60 }, now)).toBeNull();
  });
});
