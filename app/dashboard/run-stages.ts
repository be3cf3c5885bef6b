/**
 * The order a company moves through a run and the words the pages use for
 * each stage (the pipeline's stage names are in app/runs: enrich-company,
 * company-job, score-stage). Browser-safe.
 */
export const PIPELINE_STAGES = [
  { key: "queued", label: "Queued" },
  { key: "domain", label: "Find domain" },
  { key: "crawl", label: "Crawl" },
  { key: "tavily", label: "Search fallback" },
  { key: "merge", label: "Merge" },
  { key: "extract", label: "Extract" },
  { key: "contacts", label: "Contacts" },
  { key: "emails", label: "Emails" },
  { key: "verify", label: "Verify" },
  { key: "score", label: "Score" },
] as const;

const LABELS: Record<string, string> = Object.fromEntries(PIPELINE_STAGES.map((s) => [s.key, s.label]));

export function stageLabel(stage: string): string {
  return LABELS[stage] ?? stage.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

export type StageCount = { key: string; label: string; count: number };

/**
 * Every pipeline stage with how many companies are in it now, in pipeline
 * order, followed by any stage the pipeline reported that this list does not
 * know yet (so a new stage shows up instead of vanishing).
 */
export function stageCounts(stages: Record<string, number>): StageCount[] {
  const known = PIPELINE_STAGES.map((s) => ({ key: s.key, label: s.label, count: stages[s.key] ?? 0 }));
  const extra = Object.entries(stages)
    .filter(([key]) => !(key in LABELS))
    .map(([key, count]) => ({ key, label: stageLabel(key), count }));
  return [...known, ...extra];
}

export const FINISHED_RUN_STATUSES = ["succeeded", "failed", "cancelled"] as const;

export function isRunFinished(status: string): boolean {
  return (FINISHED_RUN_STATUSES as readonly string[]).includes(status);
}

/** 0–100, rounded down so 100 % means every company settled. */
export function progressPercent(settled: number, target: number): number {
  if (target <= 0) return 0;
  return Math.min(100, Math.floor((settled / target) * 100));
}
