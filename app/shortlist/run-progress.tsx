import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useRunEvents } from "~/runs/use-run-events";
import { chipStates, furthestChip, type ChipState } from "./run-stages";

/**
 * Live progress of a one-company run from its SSE stream
 * (/api/runs/:id/events): five stage chips and a done state. `onFinished`
 * fires once, when the stream says the run ended.
 */
type Outcome = "running" | "succeeded" | "failed";

const CHIP_STYLE: Record<ChipState, string> = {
  done: "border-emerald-300 bg-emerald-50 text-emerald-900",
  current: "border-brand-500 bg-brand-50 text-brand-700",
  failed: "border-red-300 bg-red-50 text-red-900",
  todo: "border-slate-200 bg-white text-slate-500",
};
const CHIP_MARK: Record<ChipState, string> = { done: "✓", current: "…", failed: "!", todo: "○" };

export function RunProgress({ runId, onFinished }: { runId: string; onFinished?: (status: string) => void }) {
  const [furthest, setFurthest] = useState(-1);
  const [outcome, setOutcome] = useState<Outcome>("running");
  const [latest, setLatest] = useState<string | null>(null);
  const [lost, setLost] = useState(false);

  useEffect(() => {
    setFurthest(-1);
    setOutcome("running");
    setLatest(null);
    setLost(false);
  }, [runId]);
  useRunEvents(runId, {
    onOpen: () => setLost(false),
    onStep: (step) => {
      if (!step.uen) return;
      setFurthest((current) => furthestChip([step.stage], current));
      setLatest(`${step.stage} · ${step.event}${step.status === "error" ? " (error)" : ""}`);
    },
    onDone: ({ status }) => {
      setOutcome(status === "succeeded" ? "succeeded" : "failed");
      onFinished?.(status);
    },
    // EventSource reconnects on its own (resuming with Last-Event-ID); only a closed source is lost.
    onConnectionError: (closed) => setLost(closed),
  });

  const chips = chipStates(furthest, outcome);
  return (
    <div data-testid="run-progress" data-outcome={outcome} className="rounded-md border border-slate-200 bg-slate-50 p-3">
      <ol className="flex flex-wrap items-center gap-1.5" aria-label="Run stages">
        {chips.map(({ stage, state }, index) => (
          <li key={stage} className="flex items-center gap-1.5">
            <span
              data-stage={stage}
              data-state={state}
              aria-current={state === "current" ? "step" : undefined}
              className={`inline-flex items-center gap-1 rounded-full border px-2.5 py-0.5 text-xs font-medium ${CHIP_STYLE[state]} ${state === "current" ? "animate-pulse" : ""}`}
            >
              <span aria-hidden>{CHIP_MARK[state]}</span>
              {stage}
              <span className="sr-only"> ({state === "todo" ? "to do" : state})</span>
            </span>
            {index < chips.length - 1 ? (
              <span aria-hidden className="text-slate-400">
                →
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      <p className="mt-2 text-sm text-slate-700" role="status">
        {outcome === "succeeded"
          ? "Done: the page now shows the new results."
          : outcome === "failed"
            ? "The run did not finish; its log says why."
            : lost
              ? "Lost the live connection; reload to see the latest state."
              : latest
                ? `Working: ${latest}`
                : "Queued; waiting for a worker…"}{" "}
        <Link to={`/app/runs/${runId}`} className="text-brand-700 underline">
          Open the run
        </Link>
      </p>
    </div>
  );
}
