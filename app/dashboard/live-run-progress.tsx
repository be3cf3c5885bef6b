import { useRevalidator } from "@remix-run/react";
import { useState } from "react";
import { Badge } from "~/components/ui/badge";
import { type RunStep } from "~/runs/run-events";
import { isRunFinished, stageLabel } from "~/runs/run-vocabulary";
import { useRunEvents } from "~/runs/use-run-events";
import { formatLatencyMs, formatTimeWithSeconds } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";
import { maskMessage } from "./event-text";
import { progressPercent, stageCounts } from "./run-stages";

/**
 * A run's live progress from its SSE stream (/api/runs/:id/events): the
 * progress bar, companies per stage and the newest step events. The browser's
 * EventSource reconnects by itself and sends Last-Event-ID, so the stream
 * resumes after the last event seen; when the run finishes the page reloads
 * its data to show the final figures.
 */
export type LiveEvent = RunStep<string | Date>;
export type LiveProgress = { status: string; target: number; settled: number; stages: Record<string, number> };
type Connection = "connecting" | "live" | "reconnecting" | "closed" | "finished";

const FEED_SIZE = 50;

export function useRunStream(
  runId: string,
  initial: { progress: LiveProgress; events: LiveEvent[]; lastEventId: string },
  options: { maskPersonalData: boolean },
) {
  const [progress, setProgress] = useState(initial.progress);
  const [events, setEvents] = useState(initial.events.slice(-FEED_SIZE));
  const [connection, setConnection] = useState<Connection>(isRunFinished(initial.progress.status) ? "finished" : "connecting");
  const revalidator = useRevalidator();
  const active = !isRunFinished(initial.progress.status);

  useRunEvents(
    runId,
    {
      onOpen: () => setConnection("live"),
      onConnectionError: (closed) => setConnection(closed ? "closed" : "reconnecting"),
      onStep: (step) => {
        const event: LiveEvent = options.maskPersonalData ? { ...step, message: maskMessage(step.message) } : step;
        setEvents((list) => (list.some((e) => e.id === event.id) ? list : [...list, event].slice(-FEED_SIZE)));
      },
      onProgress: (next) => {
        setProgress(next);
        setConnection("live");
      },
      onDone: () => {
        setConnection("finished");
        revalidator.revalidate();
      },
    },
    // The initial snapshot only seeds the stream; later loader data must not reopen it.
    { enabled: active, lastEventId: initial.lastEventId },
  );

  return { progress, events, connection };
}

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: "Connecting to the live stream…",
  live: "Live",
  reconnecting: "Connection lost — reconnecting…",
  closed: "The live stream stopped. Reload the page to try again.",
  finished: "Finished",
};

export function RunProgressBar({ settled, target, status }: { settled: number; target: number; status: string }) {
  const percent = progressPercent(settled, target);
  const text =
    target > 0
      ? `${formatCount(settled)} of ${formatCount(target)} companies settled (${percent} %)`
      : status === "queued"
        ? "Waiting to start…"
        : "Choosing the companies for this run…";
  return (
    <div>
      <p className="mb-2 text-sm font-medium text-slate-900" aria-live="polite" data-testid="run-progress-text">
        {text}
      </p>
      <div
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200 ring-1 ring-inset ring-slate-300"
      >
        <div className="h-full bg-brand-600 transition-[width] duration-500" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

export function StageCounters({ stages }: { stages: Record<string, number> }) {
  return (
    <ol aria-label="Companies per stage" className="grid grid-cols-2 gap-2 sm:grid-cols-5">
      {stageCounts(stages).map((stage) => (
        <li
          key={stage.key}
          data-stage={stage.key}
          className={`rounded-md border px-3 py-2 text-sm ${stage.count > 0 ? "border-brand-500 bg-brand-50 font-semibold text-brand-900" : "border-slate-200 bg-white text-slate-500"}`}
        >
          <span className="block text-xs uppercase tracking-wide">{stage.label}</span>
          <span className="text-lg tabular-nums">{stage.count}</span>
          <span className="sr-only"> companies</span>
        </li>
      ))}
    </ol>
  );
}

const STATUS_TONE = { ok: "green", error: "red", skipped: "gray", info: "blue" } as const;

export function EventFeed({ events, title = "Recent events" }: { events: LiveEvent[]; title?: string }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No events yet: they appear here as each company moves through the stages.</p>;
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-slate-900">{title}</h3>
      <ol className="max-h-96 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200 bg-white text-sm" data-testid="event-feed">
        {[...events].reverse().map((e) => (
          <li key={e.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2">
            <time className="text-xs tabular-nums text-slate-500" dateTime={new Date(e.createdAt).toISOString()}>
              {formatTimeWithSeconds(e.createdAt)}
            </time>
            <Badge tone={STATUS_TONE[e.status as keyof typeof STATUS_TONE] ?? "gray"}>{e.status}</Badge>
            <span className="font-medium text-slate-900">{stageLabel(e.stage)}</span>
            <span className="text-slate-700">{e.event}</span>
            {e.uen ? <span className="font-mono text-xs text-slate-600">{e.uen}</span> : null}
            {e.durationMs !== null ? <span className="text-xs text-slate-500">{formatLatencyMs(e.durationMs)}</span> : null}
            {e.message ? <span className="basis-full break-words text-xs text-slate-600">{e.message}</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function LiveRunProgress({
  runId,
  initial,
  maskPersonalData,
}: {
  runId: string;
  initial: { progress: LiveProgress; events: LiveEvent[]; lastEventId: string };
  maskPersonalData: boolean;
}) {
  const { progress, events, connection } = useRunStream(runId, initial, { maskPersonalData });
  return (
    <div className="space-y-4" data-testid="live-progress" data-connection={connection} data-status={progress.status}>
      <RunProgressBar settled={progress.settled} target={progress.target} status={progress.status} />
      <p className="flex items-center gap-2 text-xs text-slate-600">
        <span
          aria-hidden
          className={`inline-block h-2 w-2 rounded-full ${connection === "live" ? "animate-pulse bg-emerald-500" : connection === "finished" ? "bg-slate-400" : "bg-amber-500"}`}
        />
        <span data-testid="stream-state">{CONNECTION_TEXT[connection]}</span>
        <span className="text-slate-400">·</span>
        <span>Status: {progress.status}</span>
      </p>
      <StageCounters stages={progress.stages} />
      <EventFeed events={events} />
    </div>
  );
}
