import { type JobHelpers, type Task } from "graphile-worker";
import { type z } from "zod";
import { inJobOrder } from "../job-order.server";
import { log, withLogContext } from "../logger.server";
import { tenantIsWorking } from "./tenant-gate.server";

/**
 * A task: its name (the file name in tasks/), the zod schema of its payload,
 * and the handler. Payloads are parsed before the handler runs, because jobs
 * queued by older code or by SQL may not match today's type.
 */
export type TaskDefinition<Name extends string = string, Schema extends z.ZodType = z.ZodType> = {
  name: Name;
  schema: Schema;
  /** Default for jobs of this task; graphile-worker's own default is 25. */
  maxAttempts: number;
  /**
   * Work for one tenant (the payload's tenantId) that waits while the tenant
   * is paused: its jobs are put back for later instead of running, and
   * dropped once the tenant is decommissioned.
   */
  heldWhileTenantPaused: boolean;
  run: (payload: z.output<Schema>, helpers: JobHelpers) => Promise<void>;
};

export type TaskOptions<Schema extends z.ZodType> = {
  schema: Schema;
  maxAttempts?: number;
  /** Only for a payload that names its tenant. */
  heldWhileTenantPaused?: z.output<Schema> extends { tenantId: string } ? boolean : never;
};

export function defineTask<Name extends string, Schema extends z.ZodType>(
  name: Name,
  options: TaskOptions<Schema>,
  run: (payload: z.output<Schema>, helpers: JobHelpers) => Promise<void>,
): TaskDefinition<Name, Schema> {
  return { name, schema: options.schema, maxAttempts: options.maxAttempts ?? 10, heldWhileTenantPaused: options.heldWhileTenantPaused ?? false, run };
}

/** Thrown for a payload that can never succeed; the job fails permanently instead of retrying. */
export class InvalidPayloadError extends Error {
  constructor(task: string, issues: string) {
    super(`Invalid payload for ${task}: ${issues}`);
    this.name = "InvalidPayloadError";
  }
}

export function toGraphileTask(definition: TaskDefinition): Task {
  return async (rawPayload, helpers) => {
    // In the queue's order wherever its work meets other jobs' (job-order.server.ts).
    await withLogContext({ jobId: helpers.job.id, task: definition.name }, () =>
      inJobOrder(helpers.job, async () => {
        const parsed = definition.schema.safeParse(rawPayload);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ");
          log().error({ attempts: helpers.job.attempts }, `rejecting job: ${issues}`);
          throw new InvalidPayloadError(definition.name, issues);
        }
        const started = Date.now();
        try {
          const held = definition.heldWhileTenantPaused && !(await tenantIsWorking((parsed.data as { tenantId: string }).tenantId, helpers));
          if (!held) await definition.run(parsed.data, helpers);
          log().debug({ ms: Date.now() - started }, "job done");
        } catch (error) {
          log().warn({ err: error, attempts: helpers.job.attempts, ms: Date.now() - started }, "job failed; will retry if attempts remain");
          throw error;
        }
      }),
    );
  };
}
