/**
 * The five progress chips a one-company run shows (crawl → merge → extract →
 * verify → score), read from the run's step events. Safe in the browser.
 */
import { PROGRESS_STAGES, progressStageOf, type ProgressStage } from "~/runs/run-vocabulary";

export type ChipState = "done" | "current" | "todo" | "failed";

/** Index of the furthest chip the events reached, or -1 before the first company stage. */
export function furthestChip(stages: readonly string[], current = -1): number {
  let furthest = current;
  for (const stage of stages) {
    const chip = progressStageOf(stage);
    if (chip) furthest = Math.max(furthest, PROGRESS_STAGES.indexOf(chip));
  }
  return furthest;
}

export function chipStates(furthest: number, outcome: "running" | "succeeded" | "failed"): Array<{ stage: ProgressStage; state: ChipState }> {
  return PROGRESS_STAGES.map((stage, index) => {
    if (outcome === "succeeded") return { stage, state: "done" };
    if (index < furthest) return { stage, state: "done" };
    if (index === Math.max(furthest, 0)) return { stage, state: outcome === "failed" ? "failed" : "current" };
    return { stage, state: "todo" };
  });
}
