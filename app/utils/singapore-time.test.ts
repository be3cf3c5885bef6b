import { describe, expect, it } from "vitest";
import { singaporeDate, singaporeHour } from "./singapore-time";

describe("Singapore time", () => {
  it("rolls the date over at 16:00 UTC", () => {
    expect(singaporeDate(new Date("2026-11-22T15:59:59Z"))).toBe("2026-11-22");
    expect(singaporeDate(new Date("2026-11-22T16:00:00Z"))).toBe("2026-11-23");
  });

  it("reads the hour on Singapore clocks", () => {
    expect(singaporeHour(new Date("2026-11-22T18:30:00Z"))).toBe(2);
    expect(singaporeHour(new Date("2026-11-22T00:00:00Z"))).toBe(8);
  });
});
