import { describe, expect, it } from "vitest";
import { reconnectDelay } from "./run-events.server";

describe("reconnectDelay", () => {
  it("doubles from half a second and stays at 30 s", () => {
    expect([0, 1, 2, 3].map(reconnectDelay)).toEqual([500, 1000, 2000, 4000]);
    expect(reconnectDelay(6)).toBe(30_000);
    expect(reconnectDelay(40)).toBe(30_000);
  });
});
