import { describe, expect, it } from "vitest";
import { thrownJobOutcome } from "./job-metrics.server";

describe("thrownJobOutcome", () => {
  it("is a retry while attempts are left, and failed on the last one", () => {
    expect(thrownJobOutcome({ attempts: 1, max_attempts: 3 })).toBe("retry");
    expect(thrownJobOutcome({ attempts: 3, max_attempts: 3 })).toBe("failed");
    expect(thrownJobOutcome({ attempts: 1, max_attempts: 1 })).toBe("failed");
  });
});
