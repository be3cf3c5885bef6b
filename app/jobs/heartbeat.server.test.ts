import { describe, expect, it } from "vitest";
import { HEARTBEAT_INTERVAL_MS, mayReleaseDeadWorkers } from "./heartbeat.server";

describe("mayReleaseDeadWorkers", () => {
  it("waits until this process has beaten for three intervals in a row", () => {
    const now = 1_000_000;
    expect(mayReleaseDeadWorkers(null, now)).toBe(false);
    // The first beat back after a database outage: every other heartbeat looks stale, but none is released.
    expect(mayReleaseDeadWorkers(now, now)).toBe(false);
    expect(mayReleaseDeadWorkers(now - 2 * HEARTBEAT_INTERVAL_MS, now)).toBe(false);
    expect(mayReleaseDeadWorkers(now - 3 * HEARTBEAT_INTERVAL_MS, now)).toBe(true);
  });

  it("counts the intervals of the process's own heartbeat", () => {
    const now = 1_000_000;
    expect(mayReleaseDeadWorkers(now - 500, now, 250)).toBe(false);
    expect(mayReleaseDeadWorkers(now - 750, now, 250)).toBe(true);
  });
});
