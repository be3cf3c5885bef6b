/**
 * What a run's live stream (/api/runs/:id/events) sends, shared by the
 * server that writes it and the browser hook that reads it. Browser-safe.
 *
 * - `step`: one step event; its SSE id is the row id, so a reconnect resumes
 *   after it with Last-Event-ID;
 * - `progress`: the run's counters after each batch of steps;
 * - `done`: the run finished; the server then ends the stream.
 */
/** One logged step of a run; `When` is how its time travels (a Date on the server, text on the wire). */
export type RunStep<When = string> = {
  id: string;
  uen: string | null;
  stage: string;
  event: string;
  status: string;
  durationMs: number | null;
  message: string | null;
  createdAt: When;
};

export type RunStepEvent = RunStep;

export type RunProgress = {
  id: string;
  status: string;
  degraded: boolean;
  target: number;
  settled: number;
  /** Companies currently at each stage (crawl → merge → extract → verify → score). */
  stages: Record<string, number>;
};

export type RunDone = { status: string };

export type RunStreamEvent = { type: "step"; data: RunStepEvent } | { type: "progress"; data: RunProgress } | { type: "done"; data: RunDone };

/** One message in the SSE wire format; a step carries its row id for Last-Event-ID. */
export function formatRunStreamEvent(event: RunStreamEvent): string {
  const id = event.type === "step" ? `id: ${event.data.id}\n` : "";
  return `${id}event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
