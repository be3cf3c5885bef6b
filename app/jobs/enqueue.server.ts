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
  const contract = taskContracts[task];
  const parsed = contract.schema.safeParse(payload);
  if (!parsed.success) {
    throw new Error(`Invalid payload for ${task}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`);
  }
  return addJob(task, payload, { maxAttempts: contract.maxAttempts, ...options });
}

/**
 * The untyped core of `enqueue`, for jobs whose task is only known at run
 * time (a job put back as it was) and tasks a test defines.
 *
 * A job for a tenant (its payload names a `tenantId`) is added as the
 * application role through app_enqueue_job(), which accepts it only for the
 * tenant of the transaction: the caller's `tx`, or one opened here for the
 * payload's tenant. A job for no tenant (cron-like platform work) is added by
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
  type Added = Array<{ id: bigint; key: string | null }>;
  let rows: Added;
  if (tenantId === undefined) {
    if (options.tx) throw new Error(`Cannot enqueue ${task} in a tenant transaction: its payload names no tenantId`);
    rows = await platformDb.$queryRaw<Added>`SELECT id, key FROM graphile_worker.add_job(${args})`;
  } else {
    const add = (tx: Prisma.TransactionClient) => tx.$queryRaw<Added>`SELECT id, key FROM app_enqueue_job(${args})`;
    rows = await (options.tx ? add(options.tx) : db.$withTenant(tenantId, add));
  }
  const row = rows[0]!;
  return { id: String(row.id), key: row.key };
}

function tenantOf(payload: unknown): string | undefined {
  if (typeof payload !== "object" || payload === null || !("tenantId" in payload)) return undefined;
  const { tenantId } = payload as { tenantId: unknown };
  if (typeof tenantId !== "string") throw new Error(`A job's tenantId must be a string, not ${JSON.stringify(tenantId)}`);
  return tenantId;
}
