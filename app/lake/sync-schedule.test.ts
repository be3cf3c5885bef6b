import { describe, expect, it } from "vitest";
import { dueSync, formatMinutes, formatReconcileHour, type ScheduledSource } from "./sync-schedule";

describe("dueSync", () => {
  // 10:00 UTC is 18:00 in Singapore.
  const now = new Date("2026-12-05T10:00:00Z");
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  const source = (over: Partial<ScheduledSource> = {}): ScheduledSource => ({
    incrementalEveryMinutes: 60,
    fullReconcileHour: 2,
    freshnessSlaMinutes: 120,
    lastSuccessAt: minutesAgo(10),
    lastFullAt: minutesAgo(24 * 60),
    ...over,
  });

  it("reads a source never synced in full", () => {
    expect(dueSync(source({ lastSuccessAt: null, lastFullAt: null }), now)).toBe("full");
  });

  it("owes an incremental sync once the tenant's interval has passed, not before", () => {
    expect(dueSync(source({ incrementalEveryMinutes: 15, lastSuccessAt: minutesAgo(14) }), now)).toBeNull();
    expect(dueSync(source({ incrementalEveryMinutes: 15, lastSuccessAt: minutesAgo(15) }), now)).toBe("incremental");
    expect(dueSync(source({ incrementalEveryMinutes: 1440, lastSuccessAt: minutesAgo(23 * 60) }), now)).toBeNull();
    expect(dueSync(source({ incrementalEveryMinutes: 1440, lastSuccessAt: minutesAgo(24 * 60) }), now)).toBe("incremental");
  });

  it("reconciles in full during the Singapore hour the tenant chose, once a night", () => {
    expect(dueSync(source({ fullReconcileHour: 18 }), now)).toBe("full");
    expect(dueSync(source({ fullReconcileHour: 17 }), now)).toBeNull();
    // The sweep runs again within the hour: the reconcile it already started counts.
    expect(dueSync(source({ fullReconcileHour: 18, lastFullAt: minutesAgo(5) }), now)).toBeNull();
    expect(dueSync(source({ fullReconcileHour: 18, lastFullAt: null }), now)).toBe("full");
  });

  it("never reconciles a source whose nightly reconcile is off", () => {
    expect(dueSync(source({ fullReconcileHour: null, lastFullAt: null }), now)).toBeNull();
    expect(dueSync(source({ fullReconcileHour: null, lastSuccessAt: minutesAgo(61) }), now)).toBe("incremental");
  });
});

describe("schedule words", () => {
  it("names intervals and the reconcile hour", () => {
    expect([15, 60, 90, 1440, 2880].map(formatMinutes)).toEqual(["15 min", "1 h", "1 h 30 min", "1 day", "2 days"]);
    expect(formatReconcileHour(2)).toBe("02:00 Singapore time");
    expect(formatReconcileHour(null)).toBe("Off");
  });
});
