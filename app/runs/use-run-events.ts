import { useEffect, useRef } from "react";
import { type RunDone, type RunProgress, type RunStepEvent } from "./run-events";

export type RunEventHandlers = {
  onOpen?: () => void;
  /** `closed`: the browser gave up; otherwise it is reconnecting by itself. */
  onConnectionError?: (closed: boolean) => void;
  onStep?: (step: RunStepEvent) => void;
  onProgress?: (progress: RunProgress) => void;
  /** The run finished; the stream is closed first, so the browser does not reconnect. */
  onDone?: (done: RunDone) => void;
};

/**
 * Follows a run's live stream (/api/runs/:id/events). The browser's
 * EventSource reconnects by itself and resumes with Last-Event-ID;
 * `lastEventId` makes the first connection resume too (after the events a
 * page already shows). The stream opens per run and `enabled`; new handlers
 * take effect without reopening it.
 */
export function useRunEvents(runId: string, handlers: RunEventHandlers, options: { enabled?: boolean; lastEventId?: string } = {}): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const enabled = options.enabled ?? true;
  const { lastEventId } = options;

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    const resume = lastEventId === undefined ? "" : `?lastEventId=${encodeURIComponent(lastEventId)}`;
    const source = new EventSource(`/api/runs/${runId}/events${resume}`);
    const data = <T>(message: Event) => JSON.parse((message as MessageEvent<string>).data) as T;
    source.onopen = () => latest.current.onOpen?.();
    source.onerror = () => latest.current.onConnectionError?.(source.readyState === EventSource.CLOSED);
    source.addEventListener("step", (message) => latest.current.onStep?.(data<RunStepEvent>(message)));
    source.addEventListener("progress", (message) => latest.current.onProgress?.(data<RunProgress>(message)));
    source.addEventListener("done", (message) => {
      source.close();
      latest.current.onDone?.(data<RunDone>(message));
    });
    return () => source.close();
    // The first connection's resume point only seeds the stream; later values must not reopen it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId, enabled]);
}
