import { describe, expect, it } from "vitest";
import { isCalendarDay, isCalendarMonth, postgresInstant } from "./calendar-day";

describe("calendar days", () => {
  it("accept a day that reads back as itself, from year 0001 to 9999", () => {
    expect(["2024-02-29", "0001-01-01", "9999-12-31"].map(isCalendarDay)).toEqual([true, true, true]);
  });

  it("refuse a rolled-over day, year 0000 and what is not YYYY-MM-DD", () => {
    expect(["2024-02-30", "2026-13-01", "0000-01-01", "+010000-01-01", "2026-1-01", "2026-11-01T00:00:00Z"].map(isCalendarDay)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("calendar months", () => {
  it("accept 0001-01 to 9999-12 and refuse year 0000 and a thirteenth month", () => {
    expect(["0001-01", "9999-12", "0000-12", "2026-13", "2026-1"].map(isCalendarMonth)).toEqual([true, true, false, false, false]);
  });
});

describe("Postgres instants", () => {
  it("give an instant as ISO text", () => {
    expect(postgresInstant("2026-11-01T00:00:00Z")).toBe("2026-11-01T00:00:00.000Z");
    expect(postgresInstant("0001-01-01")).toBe("0001-01-01T00:00:00.000Z");
    expect(postgresInstant("9999-12-31T23:59:59.999Z")).toBe("9999-12-31T23:59:59.999Z");
  });

  it("refuse year 0000, years past 9999, negative years and what does not parse", () => {
    expect(["0000-01-01", "+010000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00", "yesterday"].map(postgresInstant)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
