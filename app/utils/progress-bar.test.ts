import { describe, expect, it } from "vitest";
import { progressBar } from "./progress-bar";

describe("progressBar", () => {
  it("fills in proportion, full when there is nothing to do, never past its width", () => {
    expect(progressBar(0, 4, 8)).toBe("[--------]");
    expect(progressBar(1, 4, 8)).toBe("[##------]");
    expect(progressBar(0, 0, 4)).toBe("[####]");
    expect(progressBar(9, 4, 4)).toBe("[####]");
  });
});
