import { describe, expect, it } from "vitest";
import { sourceFreshness } from "./freshness";

describe("sourceFreshness", () => {
  const now = new Date("2026-12-05T10:00:00Z");

  it("is fresh up to the SLA and stale after it", () => {
    expect(sourceFreshness(new Date("2026-12-05T08:00:00Z"), 120, now)).toEqual({ freshness: "fresh", ageMinutes: 120 });
    expect(sourceFreshness(new Date("2026-12-05T07:59:00Z"), 120, now)).toEqual({ freshness: "stale", ageMinutes: 121 });
  });

  it("says never before the first successful sync", () => {
    expect(sourceFreshness(null, 120, now)).toEqual({ freshness: "never", ageMinutes: null });
  });
});
