import { Link, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import { Badge, statusTone } from "~/components/ui/badge";
import { isRunFinished, PROGRESS_STAGE_LABELS, PROGRESS_STAGES, progressStageOf, type ProgressStage } from "~/runs/run-vocabulary";
import { useRunEvents } from "~/runs/use-run-events";
import { type RunLive, type RunReply } from "./replies";

/**
 * A run started from the chat. While it runs, its progress streams in from
 * the run's SSE endpoint (crawl → merge → extract → verify → score); when the
 * stream says done, the page reloads the thread and the card shows the result.
 */
type StageState = { seen: number; errors: number };
type Stream = {
  stages: Record<ProgressStage, StageState>;
  current: ProgressStage | null;
  progress: { target: number; settled: number; status: string } | null;
  connection: "connecting" | "live" | "reconnecting";
  last: string | null;
};

function emptyStream(): Stream {
  return {
    stages: Object.fromEntries(PROGRESS_STAGES.map((s) => [s, { seen: 0, errors: 0 }])) as Record<ProgressStage, StageState>,
    current: null,
    progress: null,
    connection: "connecting",
    last: null,
  };
}

function useRunStream(runId: string, enabled: boolean): Stream {
  const [stream, setStream] = useState<Stream>(emptyStream);
  const revalidator = useRevalidator();
  useRunEvents(
    runId,
    {
      onOpen: () => setStream((s) => ({ ...s, connection: "live" })),
      onConnectionError: () => setStream((s) => ({ ...s, connection: "reconnecting" })),
      onStep: (step) => {
        const stage = progressStageOf(step.stage);
        setStream((s) => {
          if (!stage) return { ...s, connection: "live", last: step.message ?? s.last };
          const before = s.stages[stage];
          return {
            ...s,
            connection: "live",
            current: stage,
            last: step.message ?? `${PROGRESS_STAGE_LABELS[stage]}: ${step.event} (${step.status})`,
            stages: { ...s.stages, [stage]: { seen: before.seen + 1, errors: before.errors + (step.status === "error" ? 1 : 0) } },
          };
        });
      },
      onProgress: (p) => setStream((s) => ({ ...s, connection: "live", progress: { target: p.target, settled: p.settled, status: p.status } })),
      onDone: () => revalidator.revalidate(),
    },
    { enabled },
  );
  return stream;
}

function stageStatus(stream: Stream, stage: ProgressStage, finished: boolean): "done" | "running" | "waiting" | "error" {
  if (finished) return stream.stages[stage].errors ? "error" : "done";
  const index = PROGRESS_STAGES.indexOf(stage);
  const current = stream.current ? PROGRESS_STAGES.indexOf(stream.current) : -1;
  if (stream.stages[stage].errors && index <= current) return "error";
  if (index < current) return "done";
  if (index === current) return "running";
  return "waiting";
}

const MARK = { done: "✓", running: "●", waiting: "○", error: "!" } as const;
const MARK_CLASS = {
  done: "border-emerald-600 bg-emerald-50 text-emerald-800",
  running: "border-amber-500 bg-amber-50 text-amber-900",
  waiting: "border-slate-300 bg-white text-slate-500",
  error: "border-red-500 bg-red-50 text-red-800",
} as const;

export function RunCard({ reply, live }: { reply: RunReply; live?: RunLive }) {
  const finished = live ? isRunFinished(live.status) : false;
  const stream = useRunStream(reply.runId, Boolean(live) && !finished);
  const what = reply.company ? `Re-enriching ${reply.company.name}` : reply.kind === "manual" ? "Run for today's candidates" : "Nightly run";
  const status = stream.progress?.status && !finished ? stream.progress.status : (live?.status ?? "unknown");
  const target = stream.progress?.target ?? live?.target ?? 0;
  const settled = finished ? (live?.settled ?? 0) : (stream.progress?.settled ?? live?.settled ?? 0);
  const percent = target ? Math.round((settled / target) * 100) : finished ? 100 : 0;

  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm" data-testid="run-card" data-status={status}>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <h3 className="font-semibold text-slate-900">{what}</h3>
        <Badge tone={statusTone(status)}>{status}</Badge>
        {live?.degraded ? <Badge tone="amber">degraded</Badge> : null}
      </div>
      {reply.alreadyActive ? <p className="mb-2 text-slate-600">A run was already in progress, so I did not start another; here is that one.</p> : null}
      {reply.company ? (
        <p className="mb-2 text-slate-600">
          Options: {reply.includeCareers ? "careers page included" : "no careers page"}
          {reply.forceRecrawl ? ", forced re-crawl" : ""}.
        </p>
      ) : null}
      {!live ? (
        <p className="text-slate-600">This run is no longer available.</p>
      ) : (
        <>
          <ol className="flex flex-wrap items-center gap-1" aria-label="Run stages">
            {PROGRESS_STAGES.map((stage, i) => {
              const state = stageStatus(stream, stage, finished);
              return (
                <li key={stage} className="flex items-center gap-1" data-stage={stage} data-state={state}>
                  <span className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${MARK_CLASS[state]}`}>
                    <span aria-hidden>{MARK[state]}</span>
                    {PROGRESS_STAGE_LABELS[stage]}
                    <span className="sr-only">: {state}</span>
                  </span>
                  {i < PROGRESS_STAGES.length - 1 ? (
                    <span aria-hidden className="text-slate-400">
                      →
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ol>
          {target > 1 || (!reply.company && target > 0) ? (
            <div className="mt-3">
              <div
                className="h-2 w-full overflow-hidden rounded bg-slate-100"
                role="progressbar"
                aria-valuemin={0}
                aria-valuemax={target}
                aria-valuenow={settled}
                aria-label="Companies done"
              >
                <div className="h-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
              </div>
              <p className="mt-1 text-xs text-slate-600">
                {settled} of {target} companies done ({percent}%)
              </p>
            </div>
          ) : null}
          {!finished ? (
            <p className="mt-2 text-xs text-slate-500" aria-live="polite">
              {stream.connection === "reconnecting"
                ? "Connection lost; reconnecting…"
                : (stream.last ?? (status === "queued" ? "Waiting for a worker to pick it up…" : "Working…"))}
            </p>
          ) : (
            <RunResult reply={reply} live={live} />
          )}
        </>
      )}
      <p className="mt-3 text-xs">
        <Link to={`/app/runs/${reply.runId}`} className="text-brand-700 underline">
          Open the run
        </Link>
        {reply.company ? (
          <>
            {" · "}
            <Link to={`/app/companies/${reply.company.uen}`} className="text-brand-700 underline">
              Open {reply.company.name}
            </Link>
          </>
        ) : null}
      </p>
    </div>
  );
}

function RunResult({ reply, live }: { reply: RunReply; live: RunLive }) {
  if (live.status !== "succeeded") {
    return (
      <p className="mt-3 rounded-md bg-red-50 px-3 py-2 text-red-900" role="status">
        The run {live.status}. See the run page for the step log.
      </p>
    );
  }
  if (reply.company) {
    return (
      <div className="mt-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-950" role="status" data-testid="run-result">
        {live.result ? (
          <>
            Done: {reply.company.name} is now <strong>{live.result.bucket}</strong> with a score of <strong>{live.result.score.toFixed(0)}</strong>
            {reply.previous ? ` (was ${reply.previous.bucket}, ${reply.previous.score.toFixed(0)})` : ""}.
          </>
        ) : (
          <>Done: {reply.company.name} was enriched but not scored (outside the ICP's employee range, or suppressed).</>
        )}
      </div>
    );
  }
  const counts = ["High", "Medium", "Low"].map((b) => `${live.buckets[b] ?? 0} ${b}`).join(", ");
  return (
    <div className="mt-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-950" role="status" data-testid="run-result">
      Done: {live.settled} companies settled — {counts}.{" "}
      <Link to="/app/shortlist" className="underline">
        See the shortlist
      </Link>
    </div>
  );
}
