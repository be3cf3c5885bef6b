import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Logger, parseCrontab, run, type LogFunctionFactory, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import { env } from "../env.server";
import { rootLogger } from "../logger.server";
import { observeJobs } from "../metrics/job-metrics.server";
import { watchPool } from "../metrics/registry.server";
import { toGraphileTask, type TaskDefinition } from "./define-task.server";
import { beat, forget, HEARTBEAT_INTERVAL_MS, mayReleaseDeadWorkers, releaseDeadWorkers, releaseOrphanedJobs } from "./heartbeat.server";
import { queuePool } from "./queue-pool.server";
import { taskDefinitions } from "./tasks.server";

export type WorkerHandle = { workerId: string; stop(): Promise<void>; runner: Runner };

export type StartWorkerOptions = {
  concurrency?: number;
  pollInterval?: number;
  /** Extra tasks, e.g. ones defined by a test. */
  extraTasks?: TaskDefinition[];
  crontabFile?: string | null;
  /**
   * How often this process beats (default HEARTBEAT_INTERVAL_MS). Releasing a
   * dead process's jobs waits for three good beats, so the crash drills beat
   * faster to see a recovery in seconds rather than half a minute.
   */
  heartbeatMs?: number;
};

/**
 * How the worker asks for jobs. Without a local queue each of the
 * WORKER_CONCURRENCY slots asks Postgres on its own, and an idle slot asks
 * again every poll interval: 500 idle slots made 250 job queries a second
 * (in bench:nightly, at 100 ms, 5,000), most of the database's and a large
 * share of the worker's CPU in a run's tail and all of it between runs. With
 * the local queue, one fetch per process hands up to LOCAL_QUEUE_SIZE jobs to
 * waiting slots, and only that queue polls. Jobs it fetched while every slot
 * was busy wait in it, locked to this process, and a job added meanwhile (a
 * run's verification or scoring, which go ahead of enrichment) is fetched once
 * they have started: a small batch keeps that wait to a few slots' turns,
 * while filling 500 idle slots still takes only ~30 fetches.
 */
export const LOCAL_QUEUE_SIZE = 16;
/** One poller per process, not one per slot: a job due later (a verification's recheck) starts at most this late. */
export const DEFAULT_POLL_INTERVAL_MS = 500;

/**
 * Tasks with slots of their own. A run's verification job paces ZeroBounce's
 * window (5 calls a minute) for the whole run, so it must not wait for one
 * of the thousand company jobs to end: in a 5,000-company run on three
 * workers its first pass waited 15 s for a slot while 1,000 addresses were
 * pending, and every later call of the run started that much later.
 */
export const PACING_TASKS: ReadonlySet<string> = new Set(["verify_run_emails"]);
/** Slots for them per process: one per run verifying at once (a pass waits on ZeroBounce, not on this process's CPU). */
export const PACING_SLOTS = 4;

/**
 * The jobs this process holds locked on purpose: fetched into its local
 * queue (or by a slot), until they complete or the queue gives them back.
 */
export function heldJobs(events: WorkerEvents): ReadonlySet<string> {
  const held = new Set<string>();
  events.on("localQueue:getJobs:complete", ({ jobs }) => jobs.forEach((job) => held.add(job.id)));
  events.on("job:start", ({ job }) => held.add(job.id));
  events.on("job:complete", ({ job }) => held.delete(job.id));
  events.on("localQueue:returnJobs", ({ jobs }) => jobs.forEach((job) => held.delete(job.id)));
  return held;
}

/** graphile-worker's advice for quick jobs; ours hold a slot for a company's whole chain (see LOCAL_QUEUE_SIZE). */
const SMALL_BATCH_WARNING = /^Your job batch size \(\d+\) is smaller than your concurrency setting/;

const workerLogFactory: LogFunctionFactory = (scope) => {
  const logger = rootLogger.child({ component: "graphile-worker", ...scope });
  return (level, message, meta) => {
    if (SMALL_BATCH_WARNING.test(message)) return;
    const method = level === "error" ? "error" : level === "warning" ? "warn" : level === "info" ? "info" : "debug";
    logger[method](withoutPayload(meta), message);
  };
};

/** graphile-worker attaches whole jobs to its log lines; payloads may carry emails, so only ids go to the log. */
function withoutPayload(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!meta) return {};
  const { job, ...rest } = meta as { job?: { id?: string; task_identifier?: string; attempts?: number } };
  return job ? { ...rest, job: { id: job.id, task: job.task_identifier, attempts: job.attempts } } : rest;
}

/**
 * Runs the job worker and keeps its heartbeat. Tasks reach data through the
 * application role's client (so RLS applies to every task that does not
 * deliberately use the platform client); only the queue itself is the owner's.
 */
export async function startWorker(options: StartWorkerOptions = {}): Promise<WorkerHandle> {
  const config = env();
  // Jobs hold no connection while they run (they use the app's own clients), so the
  // queue needs a few connections, not one per concurrent job.
  // The queue's own connections log in as the owner of graphile-worker's schema: the
  // application role has no rights on the job tables. Tasks do their work through
  // the app's clients, so RLS applies to them as before.
  // Since when this process's beats have all succeeded (null after a failed one or a lost connection).
  let healthySince: number | null = null;
  // Whether the database went away since the last look for orphaned jobs.
  let outage = false;
  const noteOutage = () => {
    if (!outage) rootLogger.warn("job queue lost the database; waiting for it");
    outage = true;
    healthySince = null;
  };
  const pgPool = watchPool(
    "job_queue",
    queuePool({ connectionString: config.DATABASE_URL, max: Math.min(24, (options.concurrency ?? config.WORKER_CONCURRENCY) + 2) }, { onWait: noteOutage }),
  );
  const onConnectionError = (error: Error & { code?: string }) => {
    rootLogger.error({ code: error.code, reason: error.message }, "job queue connection lost");
    noteOutage();
  };
  pgPool.on("error", onConnectionError);
  pgPool.on("connect", (client) => client.on("error", onConnectionError));
  const definitions: TaskDefinition[] = [...Object.values(taskDefinitions), ...(options.extraTasks ?? [])];
  const taskList = (pacing: boolean): TaskList =>
    Object.fromEntries(definitions.filter((d) => PACING_TASKS.has(d.name) === pacing).map((d) => [d.name, toGraphileTask(d)]));

  const crontabFile = options.crontabFile === undefined ? path.resolve("crontab") : options.crontabFile;
  const parsedCronItems = crontabFile ? parseCrontab(await readFile(crontabFile, "utf8")) : [];

  const events = new EventEmitter() as WorkerEvents;
  // What graphile-worker writes in locked_by: the pool's id (batched fetching) or a worker's.
  const graphileWorkerIds = new Set<string>();
  events.on("pool:create", ({ workerPool }) => graphileWorkerIds.add(workerPool.id));
  events.on("worker:create", ({ worker }) => graphileWorkerIds.add(worker.workerId));
  observeJobs(events);
  // The jobs this process holds (running, or fetched and waiting for a slot): after an outage, the others it still has locked are orphans.
  const held = heldJobs(events);

  const shared = {
    events,
    pgPool,
    pollInterval: options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS,
    preset: { worker: { localQueue: { size: LOCAL_QUEUE_SIZE } } },
    noHandleSignals: true,
    logger: new Logger(workerLogFactory),
  };
  // Two pools on the queue's connections, each fetching only its own tasks' jobs.
  const runner = await run({ ...shared, taskList: taskList(false), parsedCronItems, concurrency: options.concurrency ?? config.WORKER_CONCURRENCY });
  // No cron items: graphile-worker would otherwise read ./crontab for this pool too, whatever the options chose.
  const pacing = await run({ ...shared, taskList: taskList(true), parsedCronItems: [], concurrency: PACING_SLOTS });

  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
  const workerId = `worker-${randomUUID()}`;
  const startedAt = new Date();
  const keepAlive = async () => {
    try {
      await beat(workerId, startedAt, [...graphileWorkerIds]);
      healthySince ??= Date.now();
      // A beat after the first good one: writes that waited out the outage have landed by now.
      if (outage && Date.now() - healthySince >= heartbeatMs) {
        outage = false;
        const orphans = await releaseOrphanedJobs([...graphileWorkerIds], [...held]);
        if (orphans) rootLogger.warn({ orphans }, "released jobs whose outcome was lost in a database outage");
      }
      if (!mayReleaseDeadWorkers(healthySince, Date.now(), heartbeatMs)) return;
      const released = await releaseDeadWorkers();
      if (released) rootLogger.warn({ released }, "released the jobs of worker processes that stopped");
    } catch (error) {
      noteOutage();
      rootLogger.warn({ err: error }, "worker heartbeat failed");
    }
  };
  await keepAlive();
  const timer = setInterval(keepAlive, heartbeatMs);
  timer.unref();

  let stopping: Promise<void> | undefined;
  return {
    workerId,
    runner,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await Promise.all([runner.stop(), pacing.stop()]);
        await forget(workerId).catch(() => {});
        await pgPool.end();
      })();
      return stopping;
    },
  };
}
