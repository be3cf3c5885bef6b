import { describe, expect, it } from "vitest";
import { fakeClock } from "../../tests/support/fake-clock";
import { createCallLimiter } from "./rate-limit.server";

describe("the in-process call limiter", () => {
  it("frees a slot given back unused at once, and only that one", async () => {
    const clock = fakeClock(0);
    const limiter = createCallLimiter(2, 60_000, clock, 500);
    await limiter.take();
    const late = await limiter.take();
    await clock.sleep(1_000);
    expect(late.fresh()).toBe(false);
    await late.unused();
    // Its place is free now, not when it would have left the window.
    const next = await limiter.take();
    expect(next.fresh()).toBe(true);
    expect(clock.slept).toEqual([1_000]);
    // Then the window is full again: the next call waits for the first grant to leave it.
    await limiter.take();
    expect(clock.slept).toEqual([1_000, 59_001]);
  });
});
