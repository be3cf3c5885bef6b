import { isPipelineStage, PIPELINE_STAGES, stageLabel } from "~/runs/run-vocabulary";

/** How the run pages count and measure a run's companies by stage. Browser-safe. */
export type StageCount = { key: string; label: string; count: number };

/**
 * Every pipeline stage with how many companies are in it now, in pipeline
 * order, followed by any stage the pipeline reported that this list does not
 * know yet (so a new stage shows up instead of vanishing).
 */
export function stageCounts(stages: Record<string, number>): StageCount[] {
  const known = PIPELINE_STAGES.map((s) => ({ key: s.key, label: s.label, count: stages[s.key] ?? 0 }));
  const extra = Object.entries(stages)
    .filter(([key]) => !isPipelineStage(key))
    .map(([key, count]) => ({ key, label: stageLabel(key), count }));
  return [...known, ...extra];
}

/** 0–100, rounded down so 100 % means every company settled. */
export function progressPercent(settled: number, target: number): number {
  if (target <= 0) return 0;
  return Math.min(100, Math.floor((settled / target) * 100));
}
