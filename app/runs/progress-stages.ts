/**
 * The five stages a person watches a run go through — crawl → merge →
 * extract → verify → score — and how the engine's step names
 * (app/runs: enrich-company, verify-emails, score-stage) fold into them.
 * Browser-safe: the chat, the company page and the run pages share it.
 */
export const PROGRESS_STAGES = ["crawl", "merge", "extract", "verify", "score"] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

const STAGE_OF: Record<string, ProgressStage> = {
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
  return STAGE_OF[step] ?? null;
}
