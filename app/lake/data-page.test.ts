import { describe, expect, it } from "vitest";
import { connectionTone, dataHref, formatAge, freshnessNote, runCountsLine } from "./data-page";

describe("formatAge", () => {
  it("reads minutes, hours and days", () => {
    expect(formatAge(0)).toBe("just now");
    expect(formatAge(25)).toBe("25 min ago");
    expect(formatAge(60)).toBe("1 h ago");
    expect(formatAge(47 * 60 + 59)).toBe("47 h ago");
    expect(formatAge(72 * 60)).toBe("3 days ago");
  });
});

describe("freshnessNote", () => {
  it("says when a source never synced, synced recently, or went beyond its SLA", () => {
    expect(freshnessNote({ freshness: "never", ageMinutes: null, freshnessSlaMinutes: 120 })).toBe("No successful sync yet");
    expect(freshnessNote({ freshness: "fresh", ageMinutes: 30, freshnessSlaMinutes: 120 })).toBe("Synced 30 min ago");
    expect(freshnessNote({ freshness: "stale", ageMinutes: 300, freshnessSlaMinutes: 120 })).toBe("Stale: last synced 5 h ago, beyond its 2 h target");
  });
});

describe("runCountsLine", () => {
  it("keeps fetched and leaves out the other zeros", () => {
    const none = { fetched: 0, rawInserted: 0, inserted: 0, updated: 0, deleted: 0, unchanged: 0, rejected: 0 };
    expect(runCountsLine(none)).toBe("0 fetched");
    expect(runCountsLine({ ...none, fetched: 1200, inserted: 4, updated: 2, rejected: 1, rawInserted: 6 })).toBe(
      "1,200 fetched · 4 new · 2 updated · 1 rejected · 6 raw versions",
    );
  });
});

describe("dataHref", () => {
  it("changes and removes parameters and keeps the rest", () => {
    expect(dataHref("?type=contacts&q=tan&after=x", { after: null })).toBe("/app/data?type=contacts&q=tan");
    expect(dataHref("", { type: "teams" })).toBe("/app/data?type=teams");
    expect(dataHref("?runs=abc", { runs: "" })).toBe("/app/data");
  });
});

describe("connectionTone", () => {
  it("colours a connected source green, a broken one red and one not set up grey", () => {
    expect(["connected", "error", "not_connected"].map(connectionTone)).toEqual(["green", "red", "gray"]);
  });
});
