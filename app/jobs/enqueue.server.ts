import type { z } from "zod";
import { db } from "../db.server";
import type { Prisma } from "../generated/prisma/client";
import { taskDefinitions, type TaskName } from "./tasks.server";

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

export type TaskPayload<T extends TaskName> = z.input<(typeof taskDefinitions)[T]["schema"]>;

export type EnqueuedJob = { id: string; key: string | null };

/**
 * Adds a job through graphile-worker's SQL API. The payload is checked against
 * the task's schema here, so a bad payload fails at the caller, not later in
 * the worker.
 */
export async function enqueue<T extends TaskName>(
  task: T,
  payload: TaskPayload<T>,
  options: EnqueueOptions = {},
): Promise<EnqueuedJob> {
  const definition = taskDefinitions[task];
  const parsed = definition.schema.safeParse(payload);
  if (!parsed.success) {
    throw new Error(`Invalid payload for ${task}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`);
  }
  return addJob(task, payload, { maxAttempts: definition.maxAttempts, ...options });
}

/** The untyped core of `enqueue`; use `enqueue` unless the task is not in the registry. */
export async function addJob(task: string, payload: unknown, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
  const client = options.tx ?? db;
  const mode = options.jobKeyMode === "dedupe" ? "unsafe_dedupe" : (options.jobKeyMode ?? "replace");
  const rows = await client.$queryRaw<Array<{ id: bigint; key: string | null }>>`
    SELECT id, key FROM graphile_worker.add_job(
      identifier => ${task}::text,
      payload => ${JSON.stringify(payload ?? {})}::json,
      queue_name => ${options.queueName ?? null}::text,
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.jobKey ?? null}::text,
      priority => ${options.priority ?? null}::int,
      job_key_mode => ${mode}::text
    )`;
  const row = rows[0]!;
  return { id: String(row.id), key: row.key };
}
