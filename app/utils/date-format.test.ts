import { describe, expect, it } from "vitest";
import {
  durationMsBetween,
  formatClockSeconds,
  formatDate,
  formatDay,
  formatDurationMs,
  formatLatencyMs,
  formatShortDay,
  formatTime,
  formatTimeWithSeconds,
  formatWhen,
  formatWhenWithSeconds,
  isoDay,
} from "./date-format";

describe("instants on Singapore clocks", () => {
  const instant = "2026-11-21T18:05:09Z";

  it("shows an instant in Singapore whatever the process's zone", () => {
    expect(formatWhen(instant)).toBe("22 Nov 2026, 2:05 am");
    expect(formatWhenWithSeconds(new Date(instant))).toBe("22 Nov 2026, 2:05:09 am");
    expect(formatDate(instant)).toBe("22 Nov 2026");
    expect(formatTime(instant)).toBe("2:05 am");
    expect(formatTimeWithSeconds(instant)).toBe("2:05:09 am");
  });

  it("reads a missing instant as a dash", () => {
    expect(formatWhen(null)).toBe("—");
    expect(formatWhenWithSeconds(undefined)).toBe("—");
    expect(formatDate(null)).toBe("—");
    expect(formatTime(undefined)).toBe("—");
  });

  it("shows a calendar day as that day, not shifted by a zone", () => {
    expect(formatDay("2026-11-22")).toBe("22 Nov 2026");
    expect(formatShortDay("2026-11-22")).toBe("22 Nov");
  });

  it("reads a stored date column as its calendar day", () => {
    expect(isoDay(new Date("2026-11-22T00:00:00Z"))).toBe("2026-11-22");
  });
});

describe("durations", () => {
  it("shows a run's length in hours, minutes and seconds", () => {
    expect(formatDurationMs(12_400)).toBe("12 s");
    expect(formatDurationMs(185_000)).toBe("3 min 05 s");
    expect(formatDurationMs(3_720_000)).toBe("1 h 02 min");
    expect(formatDurationMs(-1)).toBe("—");
    expect(formatDurationMs(durationMsBetween("2026-11-22T01:00:00Z", null))).toBe("—");
  });

  it("measures between two instants in milliseconds", () => {
    expect(durationMsBetween("2026-11-22T01:00:00Z", new Date("2026-11-22T01:03:05Z"))).toBe(185_000);
  });

  it("shows latencies in milliseconds under a second", () => {
    expect(formatLatencyMs(849.6)).toBe("850 ms");
    expect(formatLatencyMs(1_240)).toBe("1.2 s");
    expect(formatLatencyMs(undefined)).toBe("—");
  });

  it("shows a terminal's ETA clock-style", () => {
    expect(formatClockSeconds(65)).toBe("1:05");
    expect(formatClockSeconds(3723)).toBe("1:02:03");
    expect(formatClockSeconds(Number.NaN)).toBe("--:--");
  });
});
