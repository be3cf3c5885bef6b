import { z } from "zod";
import { recordAudit, type Actor } from "~/audit.server";
import { db } from "~/db.server";
import { type RunStep } from "~/runs/run-events";
import { isoDay } from "~/utils/date-format";
import { maskMessage } from "./event-text";
import { readRunMetrics, type RunMetricsView } from "./run-metrics";

/**
 * The runs pages: a tenant's run history, one run's detail (figures, vendor
 * usage, events, QA sample, alerts) and the QA check an operator records for
 * a sampled High entry. Everything through one tenant transaction (RLS).
 */
export const RUNS_PER_PAGE = 20;
export const RECENT_EVENTS = 40;

/** A run as every page first shows it: a row of the run list, the dashboard's latest run, the head of the run page. */
export type RunSummary = {
  id: string;
  kind: string;
  status: string;
  degraded: boolean;
  runDate: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  startedByEmail: string | null;
  /** Companies the run set out to settle, and how many it has settled. */
  target: number;
  settled: number;
};

export type RunListItem = RunSummary & { companies: number | null; high: number | null };

/** The columns a run's summary is read from (and its metrics, which each page reads its own figures from). */
export const RUN_SUMMARY_SELECT = {
  id: true,
  kind: true,
  status: true,
  degraded: true,
  runDate: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  startedByEmail: true,
  targetCount: true,
  settledCount: true,
  metrics: true,
} as const;

type RunSummaryRow = Omit<RunSummary, "runDate" | "target" | "settled"> & { runDate: Date; targetCount: number; settledCount: number };

export function runSummaryOf(run: RunSummaryRow): RunSummary {
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    degraded: run.degraded,
    runDate: isoDay(run.runDate),
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    startedByEmail: run.startedByEmail,
    target: run.targetCount,
    settled: run.settledCount,
  };
}

export async function listRuns(tenantId: string, page = 1): Promise<{ runs: RunListItem[]; total: number; pages: number }> {
  return db.$withTenant(tenantId, async (tx) => {
    const [rows, total] = await Promise.all([
      tx.run.findMany({
        orderBy: { createdAt: "desc" },
        skip: (page - 1) * RUNS_PER_PAGE,
        take: RUNS_PER_PAGE,
        select: RUN_SUMMARY_SELECT,
      }),
      tx.run.count(),
    ]);
    const runs = rows.map((row) => {
      const m = readRunMetrics(row.metrics);
      return { ...runSummaryOf(row), companies: m.companies ?? null, high: m.score_distribution?.High ?? null };
    });
    return { runs, total, pages: Math.max(1, Math.ceil(total / RUNS_PER_PAGE)) };
  });
}

export type RunEventView = RunStep<Date>;

export type QaEntry = {
  uen: string;
  name: string | null;
  domain: string | null;
  score: number | null;
  bucket: string | null;
  check: { verdict: "ok" | "problem"; notes: string | null; checkedByEmail: string | null; checkedAt: Date } | null;
};

export type RunDetail = {
  run: RunSummary & {
    degradedReasons: string[];
    icpVersion: number | null;
    options: unknown;
    candidatesTotal: number | null;
    error: string | null;
  };
  metrics: RunMetricsView;
  /** Companies at each stage now (only meaningful while the run is active). */
  stages: Record<string, number>;
  /** The run's companies by outcome, counted from their rows (the run's own counter can lag). */
  outcomes: { done: number; failed: number; open: number };
  vendors: Array<{ vendor: string; calls: number; units: number; costUsd: number; errors: number; cacheHits: number }>;
  events: RunEventView[];
  lastEventId: string;
  qa: QaEntry[];
  alerts: Array<{ id: string; kind: string; severity: string; message: string; createdAt: Date; resolvedAt: Date | null }>;
};

const QaSample = z.array(z.string().regex(/^[0-9A-Z]{9,10}$/)).catch([]);

export async function runDetail(tenantId: string, runId: string, options: { maskPersonalData: boolean }): Promise<RunDetail | null> {
  return db.$withTenant(tenantId, async (tx) => {
    const run = await tx.run.findUnique({ where: { tenantId_id: { tenantId, id: runId } } });
    if (!run) return null;
    const [stages, statuses, vendors, recent, alerts, checks] = await Promise.all([
      tx.runCompany.groupBy({ by: ["stage"], where: { runId, status: { notIn: ["done", "failed"] } }, _count: { _all: true } }),
      tx.runCompany.groupBy({ by: ["status"], where: { runId }, _count: { _all: true } }),
      tx.runVendorUsage.findMany({
        where: { runId },
        orderBy: { vendor: "asc" },
        select: { vendor: true, calls: true, units: true, costUsd: true, errors: true, cacheHits: true },
      }),
      tx.runEventLog.findMany({
        where: { runId },
        orderBy: { id: "desc" },
        take: RECENT_EVENTS,
        select: { id: true, uen: true, stage: true, event: true, status: true, durationMs: true, message: true, createdAt: true },
      }),
      tx.alert.findMany({
        where: { runId },
        orderBy: { createdAt: "desc" },
        select: { id: true, kind: true, severity: true, message: true, createdAt: true, resolvedAt: true },
      }),
      tx.runQaCheck.findMany({ where: { runId }, select: { uen: true, verdict: true, notes: true, checkedByEmail: true, checkedAt: true } }),
    ]);
    const sample = QaSample.parse(run.qaSample);
    const facts = sample.length
      ? await tx.$queryRaw<Array<{ uen: string; name: string | null; domain: string | null; score: number | null; bucket: string | null }>>`
          SELECT u.uen, a.entity_name AS name, f.domain, s.score, s.bucket
          FROM unnest(${sample}::text[]) AS u(uen)
          LEFT JOIN staging_acra_companies a ON a.uen = u.uen
          LEFT JOIN lead_features f ON f.uen = u.uen
          LEFT JOIN lead_scores s ON s.uen = u.uen AND s.run_id = ${runId}::uuid`
      : [];
    const qa = sample.map((uen) => {
      const fact = facts.find((f) => f.uen === uen);
      const check = checks.find((c) => c.uen === uen);
      return {
        uen,
        name: fact?.name ?? null,
        domain: fact?.domain ?? null,
        score: fact?.score ?? null,
        bucket: fact?.bucket ?? null,
        check: check
          ? { verdict: check.verdict as "ok" | "problem", notes: check.notes, checkedByEmail: check.checkedByEmail, checkedAt: check.checkedAt }
          : null,
      };
    });
    const events = recent.reverse().map((e) => ({ ...e, id: e.id.toString(), message: options.maskPersonalData ? maskMessage(e.message) : e.message }));
    return {
      run: {
        ...runSummaryOf(run),
        degradedReasons: run.degradedReasons,
        icpVersion: run.icpVersion,
        options: run.options,
        candidatesTotal: run.candidatesTotal,
        error: run.error,
      },
      metrics: readRunMetrics(run.metrics),
      stages: Object.fromEntries(stages.map((s) => [s.stage ?? "queued", s._count._all])),
      outcomes: {
        done: statuses.find((s) => s.status === "done")?._count._all ?? 0,
        failed: statuses.find((s) => s.status === "failed")?._count._all ?? 0,
        open: statuses.filter((s) => s.status !== "done" && s.status !== "failed").reduce((n, s) => n + s._count._all, 0),
      },
      vendors,
      events,
      lastEventId: events.at(-1)?.id ?? "0",
      qa,
      alerts,
    };
  });
}

export class NotInQaSampleError extends Error {
  constructor(uen: string) {
    super(`${uen} is not in this run's QA sample`);
    this.name = "NotInQaSampleError";
  }
}

export const QaCheckForm = z.object({
  uen: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-Z]{9,10}$/, "Not a UEN"),
  verdict: z.enum(["ok", "problem"], { error: "Choose OK or Problem" }),
  notes: z
    .string()
    .trim()
    .max(1000, "Notes are limited to 1,000 characters")
    // Postgres text refuses NUL; a reason beats a failed insert.
    .refine((n) => !n.includes("\u0000"), "Notes cannot contain NUL characters")
    .transform((n) => n || null),
});
export type QaCheckInput = z.output<typeof QaCheckForm>;

/** Records (or replaces) the QA verdict for one sampled High entry, audited. */
export async function recordQaCheck(tenantId: string, actor: Actor, runId: string, input: QaCheckInput): Promise<void> {
  await db.$withTenant(
    tenantId,
    async (tx) => {
      const run = await tx.run.findUnique({ where: { tenantId_id: { tenantId, id: runId } }, select: { qaSample: true } });
      if (!run || !QaSample.parse(run.qaSample).includes(input.uen)) throw new NotInQaSampleError(input.uen);
      const data = { verdict: input.verdict, notes: input.notes, checkedByEmail: actor.email ?? null, checkedAt: new Date() };
      await tx.runQaCheck.upsert({
        where: { tenantId_runId_uen: { tenantId, runId, uen: input.uen } },
        create: { tenantId, runId, uen: input.uen, ...data },
        update: data,
      });
      await recordAudit(tenantId, actor, "run.qa_checked", `run:${runId}`, { uen: input.uen, verdict: input.verdict }, tx);
    },
    { actor },
  );
}
