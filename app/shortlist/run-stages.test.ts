import { describe, expect, it } from "vitest";
import { progressStageOf } from "~/runs/run-vocabulary";
import { chipStates, furthestChip } from "./run-stages";

describe("run stage chips", () => {
  it("folds engine stages into the five chips", () => {
    expect(["domain", "tavily", "contacts", "emails", "score", "run", "candidates"].map(progressStageOf)).toEqual([
      "crawl",
      "crawl",
      "extract",
      "verify",
      "score",
      null,
      null,
    ]);
  });

  it("keeps the furthest chip reached, whatever order events arrive in", () => {
    expect(furthestChip([])).toBe(-1);
    expect(furthestChip(["run", "domain", "crawl", "merge"])).toBe(1);
    expect(furthestChip(["crawl"], 3)).toBe(3);
  });

  it("marks chips done, current and to do", () => {
    expect(chipStates(2, "running").map((c) => c.state)).toEqual(["done", "done", "current", "todo", "todo"]);
    expect(chipStates(-1, "running").map((c) => c.state)).toEqual(["current", "todo", "todo", "todo", "todo"]);
    expect(chipStates(1, "succeeded").every((c) => c.state === "done")).toBe(true);
    expect(chipStates(3, "failed").map((c) => c.state)).toEqual(["done", "done", "done", "failed", "todo"]);
  });
});
