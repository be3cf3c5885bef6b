import { db, platformDb } from "../db.server";
import { Prisma } from "../generated/prisma/client";
import { taskContracts, type TaskName, type TaskPayload } from "./payloads";

export type EnqueueOptions = {
  /** Same key while a job is pending: `replace` updates it, `dedupe` leaves it alone. */
  jobKey?: string;
  jobKeyMode?: "replace" | "preserve_run_at" | "dedupe";
  runAt?: Date;
  maxAttempts?: number;
  priority?: number;
  /** Jobs in one queue run one at a time, in order. */
  queueName?: string;
  /**
   * Add nothing while a job of the same key waits for its first start: it
   * will see what this one would. For a job many callers ask for (a run's
   * one verification job), so that they read the job row instead of each
   * updating it under its lock.
   */
  unlessWaiting?: boolean;
  /** Enqueue inside this transaction: the job exists only if it commits. */
  tx?: Prisma.TransactionClient;
};

export type EnqueuedJob = { id: string; key: string | null };

/**
 * Adds a job through graphile-worker's SQL API. The payload is checked against
 * the task's schema here, so a bad payload fails at the caller, not later in
 * the worker.
 */
export async function enqueue<T extends TaskName>(task: T, payload: TaskPayload<T>, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
  checkPayload(task, payload);
  return addJob(task, payload, { maxAttempts: taskContracts[task].maxAttempts, ...options });
}

function checkPayload(task: TaskName, payload: unknown): void {
  const parsed = taskContracts[task].schema.safeParse(payload);
  if (!parsed.success) {
    throw new Error(`Invalid payload for ${task}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`);
  }
}

/**
 * The untyped core of `enqueue`, for jobs whose task is only known at run
 * time (a job put back as it was) and tasks a test defines.
 *
 * A job for a tenant (its payload names a `tenantId`) is added as the
 * application role through app_enqueue_job(), which accepts it only for the
 * tenant of the transaction: the caller's `tx`, or the payload's tenant set
 * in front of the one statement. A job for no tenant (cron-like platform work) is added by
 * the platform client; the application role has no rights on the job tables.
 */
export async function addJob(task: string, payload: unknown, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
  const tenantId = tenantOf(payload);
  const json = JSON.stringify(payload ?? {});
  const mode = options.jobKeyMode === "dedupe" ? "unsafe_dedupe" : (options.jobKeyMode ?? "replace");
  const args = Prisma.sql`
    identifier => ${task}::text,
    payload => ${json}::json,
    queue_name => ${options.queueName ?? null}::text,
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? null}::int,
    job_key => ${options.jobKey ?? null}::text,
    priority => ${options.priority ?? null}::int,
    job_key_mode => ${mode}::text`;
  // The id is a bigint through Prisma and its text through pg.
  type Added = Array<{ id: bigint | string; key: string | null }>;
  let rows: Added;
  if (tenantId === undefined) {
    if (options.tx) throw new Error(`Cannot enqueue ${task} in a tenant transaction: its payload names no tenantId`);
    rows = await platformDb.$queryRaw<Added>`SELECT id, key FROM graphile_worker.add_job(${args})`;
  } else {
    const add = options.unlessWaiting
      ? Prisma.sql`SELECT id, key FROM app_enqueue_job_unless_waiting(${args})`
      : Prisma.sql`SELECT id, key FROM app_enqueue_job(${args})`;
    // On its own, one statement the server commits: the job row (a keyed job's, which others may
    // update too) is not held locked until a busy worker gets round to sending COMMIT.
    rows = options.tx ? await options.tx.$queryRaw<Added>(add) : (await db.$tenantSql<Added[number]>(tenantId, add)).rows;
  }
  const row = rows[0]!;
  return { id: String(row.id), key: row.key };
}

/** How many jobs one statement adds: a fan-out of thousands stays a few short transactions. */
const ENQUEUE_CHUNK = 500;

/**
 * Many jobs of one task for one tenant, each under its own key, added a chunk
 * at a time in one statement each (through app_enqueue_job, with the same
 * checks as `enqueue`) instead of a transaction per job: a nightly run's
 * fan-out puts a thousand companies on the queue in a few round trips, so the
 * workers' slots fill at once. Returns how many jobs were added or kept.
 */
export async function enqueueAll<T extends TaskName>(
  task: T,
  jobs: ReadonlyArray<{ payload: TaskPayload<T>; jobKey: string }>,
  options: Pick<EnqueueOptions, "jobKeyMode" | "priority" | "maxAttempts"> = {},
): Promise<number> {
  const tenants = new Set<string | undefined>();
  for (const { payload } of jobs) {
    checkPayload(task, payload);
    tenants.add(tenantOf(payload));
  }
  if (jobs.length === 0) return 0;
  const [tenantId, ...others] = [...tenants];
  if (tenantId === undefined || others.length > 0) throw new Error(`enqueueAll adds the jobs of one tenant; ${task}'s name ${tenants.size} tenant(s)`);
  const mode = options.jobKeyMode === "dedupe" ? "unsafe_dedupe" : (options.jobKeyMode ?? "replace");
  let added = 0;
  for (let start = 0; start < jobs.length; start += ENQUEUE_CHUNK) {
    const chunk = jobs.slice(start, start + ENQUEUE_CHUNK);
    const [row] = await db.$withTenant(
      tenantId,
      (tx) => tx.$queryRaw<[{ n: number }]>`
        SELECT count(*)::int AS n
        FROM unnest(${chunk.map((job) => JSON.stringify(job.payload))}::json[], ${chunk.map((job) => job.jobKey)}::text[]) AS j(payload, key),
        LATERAL app_enqueue_job(
          identifier => ${task}::text,
          payload => j.payload,
          max_attempts => ${options.maxAttempts ?? taskContracts[task].maxAttempts ?? null}::int,
          job_key => j.key,
          priority => ${options.priority ?? null}::int,
          job_key_mode => ${mode}::text)`,
    );
    added += row.n;
  }
  return added;
}

function tenantOf(payload: unknown): string | undefined {
  if (typeof payload !== "object" || payload === null || !("tenantId" in payload)) return undefined;
  const { tenantId } = payload as { tenantId: unknown };
  if (typeof tenantId !== "string") throw new Error(`A job's tenantId must be a string, not ${JSON.stringify(tenantId)}`);
  return tenantId;
}
