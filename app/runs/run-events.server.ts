import pg from "pg";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/logger.server";
import { singleton } from "~/singleton.server";
import { type RunProgress, type RunStepEvent } from "./run-events";

/**
 * Live run progress. One LISTEN connection per process wakes the streams of
 * the runs it hears about; each stream then reads its new rows through RLS,
 * so a notification never carries data and never crosses tenants.
 */
type Wake = () => void;

const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/** Waits between reconnect attempts: doubling from half a second, at most 30 s. */
export function reconnectDelay(failedAttempts: number): number {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.max(0, failedAttempts));
}

function listener() {
  return singleton("run-events-listener", () => {
    const subscribers = new Map<string, Set<Wake>>();
    let client: pg.Client | null = null;
    let connecting: Promise<void> | null = null;
    let retry: NodeJS.Timeout | null = null;
    let failures = 0;

    // Streams re-read on wake-up: waking them all covers whatever happened while the connection was down.
    const wakeAll = () => {
      for (const set of subscribers.values()) for (const wake of set) wake();
    };

    const scheduleReconnect = () => {
      if (retry || !subscribers.size) return;
      const delay = reconnectDelay(failures);
      retry = setTimeout(() => {
        retry = null;
        void connect();
      }, delay);
      retry.unref();
    };

    /** One attempt at a listening connection. Never rejects: a failure schedules the next attempt. */
    const connect = (): Promise<void> => {
      if (client) return Promise.resolve();
      connecting ??= (async () => {
        const next = new pg.Client({ connectionString: env().APP_DATABASE_URL });
        let lost = false;
        const onLost = (reason: string) => {
          if (lost) return;
          lost = true;
          if (client === next) client = null;
          next.end().catch(() => {});
          log().warn({ reason }, "run events listener lost its connection; reconnecting");
          scheduleReconnect();
          wakeAll();
        };
        next.on("notification", (message) => {
          try {
            const { run_id: runId } = JSON.parse(message.payload ?? "{}") as { run_id?: string };
            if (runId) for (const wake of subscribers.get(runId) ?? []) wake();
          } catch {
            // A malformed payload cannot come from our trigger; ignore it.
          }
        });
        next.on("error", (error) => onLost(error.message));
        next.on("end", () => onLost("connection ended"));
        try {
          await next.connect();
          await next.query("LISTEN run_events");
        } catch (error) {
          lost = true;
          next.end().catch(() => {});
          failures++;
          log().warn({ reason: error instanceof Error ? error.message : String(error), failures }, "run events listener could not connect; retrying");
          scheduleReconnect();
          return;
        }
        if (lost) return;
        client = next;
        failures = 0;
        wakeAll();
      })().finally(() => {
        connecting = null;
      });
      return connecting;
    };

    return {
      async subscribe(runId: string, wake: Wake): Promise<() => void> {
        let set = subscribers.get(runId);
        if (!set) subscribers.set(runId, (set = new Set()));
        set.add(wake);
        // Without a connection the stream still works: it is woken once the connection is back.
        await connect();
        return () => {
          set!.delete(wake);
          if (set!.size === 0) subscribers.delete(runId);
        };
      },
    };
  });
}

export function subscribeToRun(runId: string, wake: Wake): Promise<() => void> {
  return listener().subscribe(runId, wake);
}

export async function eventsAfter(tenantId: string, runId: string, afterId: bigint, limit = 500): Promise<RunStepEvent[]> {
  const rows = await db.$withTenant(tenantId, (tx) =>
    tx.runEventLog.findMany({
      where: { runId, id: { gt: afterId } },
      orderBy: { id: "asc" },
      take: limit,
      select: { id: true, uen: true, stage: true, event: true, status: true, durationMs: true, message: true, createdAt: true },
    }),
  );
  return rows.map((r) => ({ ...r, id: r.id.toString(), createdAt: r.createdAt.toISOString() }));
}

export async function runProgress(tenantId: string, runId: string): Promise<RunProgress | null> {
  return db.$withTenant(tenantId, async (tx) => {
    const run = await tx.run.findUnique({
      where: { tenantId_id: { tenantId, id: runId } },
      select: { id: true, status: true, degraded: true, targetCount: true, settledCount: true },
    });
    if (!run) return null;
    const stages = await tx.runCompany.groupBy({ by: ["stage"], where: { runId, status: { notIn: ["done", "failed"] } }, _count: { _all: true } });
    return {
      id: run.id,
      status: run.status,
      degraded: run.degraded,
      target: run.targetCount,
      settled: run.settledCount,
      stages: Object.fromEntries(stages.map((s) => [s.stage ?? "queued", s._count._all])),
    };
  });
}
