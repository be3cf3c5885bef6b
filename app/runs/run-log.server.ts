import { db, type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { REDACTED_KEYS } from "~/logger.server";
import { maskEmailsIn } from "~/privacy/mask";

/**
 * The run's own record of what happened: one row per step (tenant, run,
 * company, stage, tool, redacted arguments, status, duration), which also
 * feeds the live progress stream (a trigger NOTIFYs listeners), and vendor
 * usage counters per run.
 */
export type StepEvent = {
  runId: string;
  uen?: string | null;
  stage: string;
  event: string;
  status: "ok" | "error" | "skipped" | "info";
  tool?: string;
  durationMs?: number;
  args?: Record<string, unknown>;
  message?: string;
};

const SECRET_KEYS = new Set(REDACTED_KEYS.map((k) => k.toLowerCase()));

/** Step arguments as logged: secrets removed, email addresses masked, long strings cut. */
export function redactArgs(value: unknown, depth = 0): unknown {
  if (depth > 4) return "[…]";
  if (typeof value === "string") return maskEmailsIn(value.length > 300 ? `${value.slice(0, 300)}…` : value);
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redactArgs(v, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.has(k.toLowerCase()) ? "[redacted]" : redactArgs(v, depth + 1)]),
    );
  }
  return value;
}

/** A step event as its row stores it: secrets redacted, addresses masked, long text cut. */
export function stepEventRow(event: StepEvent) {
  return {
    runId: event.runId,
    uen: event.uen ?? null,
    stage: event.stage,
    event: event.event,
    status: event.status,
    tool: event.tool ?? null,
    durationMs: event.durationMs === undefined ? null : Math.round(event.durationMs),
    args: (redactArgs(event.args ?? {}) ?? {}) as object,
    // Messages reach every member's live stream, viewers included: no addresses in them.
    message: event.message ? (redactArgs(event.message.slice(0, 1000)) as string) : null,
  };
}

/** An INSERT of step events (at least one), to end a statement that does the step's other writes in CTEs. */
export function stepEventsInsert(events: ReadonlyArray<StepEvent>): Prisma.Sql {
  const rows = events.map((event) => {
    const row = stepEventRow(event);
    return Prisma.sql`(${row.runId}::uuid, ${row.uen}, ${row.stage}, ${row.event}, ${row.status}, ${row.tool}, ${row.durationMs}::int,
      ${JSON.stringify(row.args)}::jsonb, ${row.message})`;
  });
  return Prisma.sql`INSERT INTO run_event_logs (run_id, uen, stage, event, status, tool, duration_ms, args, message) VALUES ${Prisma.join(rows)}`;
}

export async function logStep(tx: TenantTx, event: StepEvent): Promise<void> {
  await tx.runEventLog.create({ data: stepEventRow(event) });
}

/**
 * How long a company's step events wait for other companies' to share their
 * statement. Every stage of every company writes its event (and moves the
 * company's stage): one statement each was a fifth of a run's statements,
 * and each also woke every listener of the run's progress. A stage ends this
 * much later at most; the run page hears of a stage at most this late.
 */
export const STEP_BATCH_MS = 100;

type StepGroup = { events: ReadonlyArray<StepEvent & { uen: string }>; moveTo?: string; resolve: () => void; reject: (error: unknown) => void };

/** Per tenant: the step events waiting for their batch's statement. */
const stepBatches = new Map<string, StepGroup[]>();

/**
 * A company's step events, and with `moveTo` its run_companies stage, written
 * with the other events that arrive within STEP_BATCH_MS, for any company of
 * the tenant in this process, as one statement through `$tenantSql`: it holds
 * neither a pool connection nor a company's row across round trips that a
 * busy worker is slow to make, and the progress trigger notifies once per
 * statement and run. Resolves once the events are committed.
 */
export function recordCompanySteps(tenantId: string, events: ReadonlyArray<StepEvent & { uen: string }>, moveTo?: string): Promise<void> {
  if (events.length === 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let batch = stepBatches.get(tenantId);
    if (!batch) {
      stepBatches.set(tenantId, (batch = []));
      setTimeout(() => void writeSteps(tenantId, batch!), STEP_BATCH_MS);
    }
    batch.push({ events, moveTo, resolve, reject });
  });
}

async function writeSteps(tenantId: string, batch: StepGroup[]) {
  stepBatches.delete(tenantId);
  try {
    await db.$tenantSql(tenantId, stepsStatement(batch));
    for (const group of batch) group.resolve();
  } catch (error) {
    if (batch.length === 1) return batch[0]!.reject(error);
    // One company's bad event must not fail the other companies' stages: each is written on its own.
    await Promise.all(batch.map((group) => db.$tenantSql(tenantId, stepsStatement([group])).then(group.resolve, group.reject)));
  }
}

function stepsStatement(groups: readonly StepGroup[]): Prisma.Sql {
  const rows = groups.flatMap((group) => group.events.map(stepEventRow));
  // A company moved twice in one batch (its stages overlap) ends where its later event says.
  const moves = [
    ...new Map(
      groups.flatMap(({ events, moveTo }) => (moveTo === undefined ? [] : [[`${events[0]!.runId}:${events[0]!.uen}`, { ...events[0]!, moveTo }] as const])),
    ).values(),
  ];
  return Prisma.sql`
    WITH moved AS (
      UPDATE run_companies rc SET stage = m.stage, updated_at = now()
      FROM unnest(${moves.map((m) => m.runId)}::uuid[], ${moves.map((m) => m.uen)}::text[], ${moves.map((m) => m.moveTo)}::text[]) AS m(run_id, uen, stage)
      WHERE rc.run_id = m.run_id AND rc.uen = m.uen)
    INSERT INTO run_event_logs (run_id, uen, stage, event, status, tool, duration_ms, args, message)
    SELECT e.run_id, e.uen, e.stage, e.event, e.status, e.tool, e.duration_ms, e.args, e.message
    FROM unnest(${rows.map((r) => r.runId)}::uuid[], ${rows.map((r) => r.uen)}::text[], ${rows.map((r) => r.stage)}::text[],
                ${rows.map((r) => r.event)}::text[], ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.tool)}::text[],
                ${rows.map((r) => r.durationMs)}::int[], ${rows.map((r) => JSON.stringify(r.args))}::jsonb[], ${rows.map((r) => r.message)}::text[])
      WITH ORDINALITY AS e(run_id, uen, stage, event, status, tool, duration_ms, args, message, n)
    ORDER BY e.n`;
}

export type VendorUsageDelta = { calls?: number; units?: number; costUsd?: number; errors?: number; cacheHits?: number };

export async function addVendorUsage(tx: TenantTx, runId: string, vendor: string, delta: VendorUsageDelta): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO run_vendor_usage (run_id, vendor, calls, units, cost_usd, errors, cache_hits)
    VALUES (${runId}::uuid, ${vendor}, ${delta.calls ?? 0}, ${delta.units ?? 0}, ${delta.costUsd ?? 0}, ${delta.errors ?? 0}, ${delta.cacheHits ?? 0})
    ON CONFLICT (tenant_id, run_id, vendor) DO UPDATE SET
      calls = run_vendor_usage.calls + EXCLUDED.calls,
      units = run_vendor_usage.units + EXCLUDED.units,
      cost_usd = run_vendor_usage.cost_usd + EXCLUDED.cost_usd,
      errors = run_vendor_usage.errors + EXCLUDED.errors,
      cache_hits = run_vendor_usage.cache_hits + EXCLUDED.cache_hits,
      updated_at = now()`;
}

/** One LLM call's tokens as a run_vendor_usage increment. */
export function llmUsageDelta(tokens: number): VendorUsageDelta {
  return { calls: 1, units: tokens, costUsd: tokens * (VENDOR_UNIT_COST_USD.llm_tokens ?? 0) };
}

/** Published list prices per unit, for the cost column (configurable later; figures in USD). */
export const VENDOR_UNIT_COST_USD: Record<string, number> = {
  tavily: 0.008,
  apify_linkedin: 0.01,
  zerobounce: 0.008,
  lusha: 0.1,
  llm_tokens: 0.0000006,
};
