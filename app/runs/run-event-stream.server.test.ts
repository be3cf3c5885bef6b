import { describe, expect, it } from "vitest";
import { resumePoint } from "./run-event-stream.server";

describe("where a run stream resumes", () => {
  it("after the step id the client saw last", () => {
    expect(resumePoint("1234")).toBe(1234n);
  });

  it("from the beginning without one, or with anything but a step id", () => {
    expect([null, "", "abc", "-1", "1".repeat(19)].map(resumePoint)).toEqual([0n, 0n, 0n, 0n, 0n]);
  });
});
