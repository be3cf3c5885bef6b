import { performance } from "node:perf_hooks";
import { type LeadEngineClients } from "./clients.server";
import { type PreviousEnrichment, type RegistryCompany, type RunContext } from "./run-context.server";
import { recordCompanySteps } from "./run-log.server";

/** The stages of a company's enrichment, as its run_companies row and its step events name them. */
export type EnrichmentStage = "domain" | "crawl" | "tavily" | "merge" | "extract" | "contacts" | "emails";

/** What a stage tells its step event: the tool it used, an outcome other than ok, its arguments, a message. */
export type StepNote = (update: { tool?: string; status?: "ok" | "error" | "skipped" | "info"; args?: Record<string, unknown>; message?: string }) => void;

/**
 * Runs one stage, timing it and writing its step event (which the progress
 * stream pushes). A stage that throws is recorded as an error and rethrown:
 * only unexpected failures (not vendor trouble, caught inside) get here.
 */
export function stepRecorder(tenantId: string, runId: string, uen: string) {
  return async function step<T>(stage: EnrichmentStage, event: string, work: (note: StepNote) => Promise<T>): Promise<T> {
    const started = performance.now();
    const noted: Parameters<StepNote>[0] = {};
    try {
      const value = await work((update) => Object.assign(noted, update));
      // One statement per stage: the company's current stage and the step's event.
      await recordCompanySteps(
        tenantId,
        [
          {
            runId,
            uen,
            stage,
            event,
            status: noted.status ?? "ok",
            tool: noted.tool,
            args: noted.args,
            message: noted.message,
            durationMs: performance.now() - started,
          },
        ],
        stage,
      );
      return value;
    } catch (error) {
      await recordCompanySteps(tenantId, [
        {
          runId,
          uen,
          stage,
          event,
          status: "error",
          tool: noted.tool,
          args: noted.args,
          message: (error as Error).message,
          durationMs: performance.now() - started,
        },
      ]);
      throw error;
    }
  };
}

/** What every stage of one company's enrichment works with. */
export type CompanyEnrichment = {
  run: RunContext;
  uen: string;
  company: RegistryCompany;
  clients: LeadEngineClients;
  step: ReturnType<typeof stepRecorder>;
  /** When the enrichment began: the clock for its freshness checks and the times it stores. */
  now: Date;
  /** What the company's last enrichment found, if it had one. */
  previous: PreviousEnrichment | null;
};
