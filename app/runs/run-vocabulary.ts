/**
 * The words for a run, shared by the server and the browser (no Node
 * imports): which statuses mean a run is over, the engine's pipeline stages
 * with their labels, and the five stages a person watches a company go
 * through — crawl → merge → extract → verify → score — into which the
 * engine's steps fold.
 */
export const FINISHED_RUN_STATUSES = ["succeeded", "failed", "cancelled"] as const;

export function isRunFinished(status: string): boolean {
  return (FINISHED_RUN_STATUSES as readonly string[]).includes(status);
}

/** The order a company moves through a run, with the words the pages use for each stage. */
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

const PIPELINE_LABELS: Record<string, string> = Object.fromEntries(PIPELINE_STAGES.map((s) => [s.key, s.label]));

export function isPipelineStage(stage: string): boolean {
  return stage in PIPELINE_LABELS;
}

/** A pipeline stage's label; a stage this list does not know yet gets its name, capitalised. */
export function stageLabel(stage: string): string {
  return PIPELINE_LABELS[stage] ?? stage.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

export const PROGRESS_STAGES = ["crawl", "merge", "extract", "verify", "score"] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export const PROGRESS_STAGE_LABELS: Record<ProgressStage, string> = { crawl: "Crawl", merge: "Merge", extract: "Extract", verify: "Verify", score: "Score" };

const PROGRESS_STAGE_OF: Record<string, ProgressStage> = {
  domain: "crawl",
  crawl: "crawl",
  tavily: "crawl",
  merge: "merge",
  extract: "extract",
  contacts: "extract",
  contact_discovery: "extract",
  emails: "verify",
  verify: "verify",
  score: "score",
  filtered: "score",
};

/** The watched stage an engine step belongs to; run-level steps (run, candidates, odoo_push) have none. */
export function progressStageOf(step: string): ProgressStage | null {
  return PROGRESS_STAGE_OF[step] ?? null;
}
