import { describe, expect, it } from "vitest";
import { isPipelineStage, isRunFinished, PROGRESS_STAGES, progressStageOf, stageLabel } from "./run-vocabulary";

describe("the run vocabulary", () => {
  it("calls a run finished once it succeeded, failed or was cancelled", () => {
    expect(["succeeded", "failed", "cancelled", "running", "queued", "paused"].map(isRunFinished)).toEqual([true, true, true, false, false, false]);
  });

  it("labels pipeline stages, and a stage it does not know by its name", () => {
    expect(stageLabel("tavily")).toBe("Search fallback");
    expect(stageLabel("odoo_push")).toBe("Odoo push");
    expect([isPipelineStage("emails"), isPipelineStage("odoo_push")]).toEqual([true, false]);
  });

  it("folds every pipeline stage but the queue into a watched stage", () => {
    expect(progressStageOf("queued")).toBeNull();
    expect(progressStageOf("contact_discovery")).toBe("extract");
    for (const stage of ["domain", "crawl", "tavily", "merge", "extract", "contacts", "emails", "verify", "score"]) {
      expect(PROGRESS_STAGES).toContain(progressStageOf(stage));
    }
  });
});
