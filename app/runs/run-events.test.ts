import { describe, expect, it } from "vitest";
import { formatRunStreamEvent, type RunStepEvent } from "./run-events";

const step: RunStepEvent = {
  id: "42",
  uen: "201912345K",
  stage: "crawl",
  event: "fetched",
  status: "ok",
  durationMs: 120,
  message: null,
  createdAt: "2026-01-02T03:04:05.000Z",
};

describe("the run stream's wire format", () => {
  it("gives a step its row id, so a reconnect resumes after it", () => {
    expect(formatRunStreamEvent({ type: "step", data: step })).toBe(`id: 42\nevent: step\ndata: ${JSON.stringify(step)}\n\n`);
  });

  it("sends progress and done without an id", () => {
    expect(formatRunStreamEvent({ type: "done", data: { status: "succeeded" } })).toBe(`event: done\ndata: {"status":"succeeded"}\n\n`);
    const progress = { id: "r", status: "running", degraded: false, target: 3, settled: 1, stages: { crawl: 2 } };
    expect(formatRunStreamEvent({ type: "progress", data: progress })).toBe(`event: progress\ndata: ${JSON.stringify(progress)}\n\n`);
  });
});
