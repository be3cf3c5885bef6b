import { z } from "zod";

/**
 * What each task accepts, by task name, and how often its jobs may be tried.
 * A leaf module (zod only): `enqueue()` checks payloads against it without
 * loading the tasks, and each task in tasks/ parses its jobs with the same
 * schema. Only the worker imports the tasks themselves.
 */
const runJob = z.object({ tenantId: z.uuid(), runId: z.uuid() });
const companyJob = runJob.extend({ uen: z.string().min(1).max(20) });

export const taskContracts = {
  provision_tenant: {
    schema: z.object({
      tenantId: z.uuid(),
      actor: z.object({ sub: z.string().min(1), email: z.string().nullable().optional() }),
    }),
    maxAttempts: 5,
  },
  /** Tops the db_per_tenant warm pool up to ODOO_WARM_POOL_SIZE (cron and after each claim); safe to run twice at once. */
  refill_warm_pool: { schema: z.object({}).passthrough(), maxAttempts: 3 },
  /** Meters yesterday's and today's usage for every workspace (storage only when asked: it scans every tenant table). */
  meter_usage: { schema: z.object({ storage: z.boolean().default(false) }).passthrough(), maxAttempts: 3 },
  /** Drafts last month's invoices (the month before the Singapore day the job runs), skipping months already issued. */
  draft_invoices: { schema: z.object({}).passthrough(), maxAttempts: 3 },
  /** One lifecycle operation (tenant_operations row); a crash mid-step resumes at that step. */
  run_tenant_operation: { schema: z.object({ operationId: z.uuid() }), maxAttempts: 3 },
  /** A bundle rollout's next move (sync its tenants' operations, start the next wave, finish); idempotent. */
  advance_bundle_rollout: { schema: z.object({ rolloutId: z.uuid() }), maxAttempts: 5 },
  prune_worker_heartbeats: { schema: z.object({ olderThanHours: z.number().int().positive().default(24) }).passthrough(), maxAttempts: 3 },
  prune_rate_limits: { schema: z.object({ olderThanMinutes: z.number().int().positive().default(10) }).passthrough(), maxAttempts: 3 },
  sync_odoo_member: { schema: z.object({ tenantId: z.uuid(), userId: z.uuid() }), maxAttempts: 5 },
  refresh_candidates: { schema: z.object({ tenantId: z.string().uuid(), reason: z.string().min(1).max(200) }), maxAttempts: 5 },
  acra_sweep: { schema: z.object({ sources: z.array(z.string().min(1)).optional() }).passthrough(), maxAttempts: 3 },
  start_run: { schema: runJob, maxAttempts: 5 },
  enrich_company: { schema: companyJob, maxAttempts: 3 },
  verify_run_emails: { schema: runJob, maxAttempts: 5 },
  finalize_run: { schema: runJob, maxAttempts: 5 },
  nightly_sweep: { schema: z.object({}).passthrough(), maxAttempts: 3 },
  push_run_to_odoo: {
    schema: runJob.extend({
      /** Set when an operator approved the push (on_approval tenants). */
      approvedBy: z.object({ sub: z.string().min(1), email: z.string().email().nullish() }).optional(),
    }),
    maxAttempts: 8,
  },
  run_watchdog: { schema: z.object({}).passthrough(), maxAttempts: 1 },
  score_company: { schema: companyJob, maxAttempts: 5 },
  /** One sync of one lake source; its run row (lake_sync_runs) holds the mode and the cursors to resume from. */
  sync_lake_source: { schema: z.object({ tenantId: z.uuid(), syncRunId: z.uuid() }), maxAttempts: 6 },
  lake_sync_sweep: { schema: z.object({}).passthrough(), maxAttempts: 1 },
  /** Rows per batch statement: each batch is its own short transaction. */
  retention_sweep: { schema: z.object({ batchSize: z.number().int().min(100).max(50_000).default(5000) }).passthrough(), maxAttempts: 3 },
  /** One deletion request; the request row records the steps done, so a retry resumes after them. */
  erase_data_subject: { schema: z.object({ tenantId: z.uuid(), requestId: z.uuid() }), maxAttempts: 10 },
  /** Lists the workspace's suppressed addresses on its Odoo's mail.blacklist, and takes `removed` off it. */
  push_suppressions_to_odoo: { schema: z.object({ tenantId: z.uuid(), removed: z.array(z.string().min(3).max(254)).max(5000).default([]) }), maxAttempts: 8 },
  /** Hands a new alert to its workspace's and the platform's channels (email, webhook, or the digest). */
  deliver_alert: { schema: z.object({ tenantId: z.uuid(), alertId: z.uuid() }), maxAttempts: 6 },
  /** One signed-webhook delivery; each failed attempt is logged and retried with graphile-worker's exponential backoff. */
  deliver_webhook: { schema: z.object({ deliveryId: z.uuid() }), maxAttempts: 8 },
  /** Cron, daily: one email per digest channel with the alerts it held since the last digest. */
  alert_digest: { schema: z.object({}).passthrough(), maxAttempts: 3 },
} satisfies Record<string, { schema: z.ZodType; maxAttempts: number }>;

export type TaskName = keyof typeof taskContracts;

/** A payload as the caller writes it (defaults not yet applied). */
export type TaskPayload<T extends TaskName> = z.input<(typeof taskContracts)[T]["schema"]>;

export const runPushPayloadSchema = taskContracts.push_run_to_odoo.schema;
