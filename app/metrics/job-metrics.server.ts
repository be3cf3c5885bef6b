import { type WorkerEvents } from "graphile-worker";
import { jobDuration, jobsFinished, secondsSince } from "./registry.server";

export type JobOutcome = "success" | "retry" | "failed";

/**
 * The outcome of an attempt that threw: `retry` while it has attempts left,
 * else `failed` (graphile-worker then also emits job:failed, which is not
 * counted again). `attempts` already counts the attempt that just ran.
 */
export function thrownJobOutcome(job: { attempts: number; max_attempts: number }): JobOutcome {
  return job.attempts < job.max_attempts ? "retry" : "failed";
}

/** Counts and times every job attempt the runner behind `events` finishes, by task and outcome. */
export function observeJobs(events: WorkerEvents): void {
  const startedAt = new Map<string, bigint>();
  const finish = (job: { id: string; task_identifier: string }, outcome: JobOutcome) => {
    const started = startedAt.get(job.id);
    startedAt.delete(job.id);
    jobsFinished.inc({ task: job.task_identifier, outcome });
    if (started !== undefined) jobDuration.observe({ task: job.task_identifier, outcome }, secondsSince(started));
  };
  events.on("job:start", ({ job }) => startedAt.set(job.id, process.hrtime.bigint()));
  events.on("job:success", ({ job }) => finish(job, "success"));
  events.on("job:error", ({ job }) => finish(job, thrownJobOutcome(job)));
}
