import { hostname } from "node:os";
import { db, platformDb } from "../db.server";

/** Worker liveness: each worker process upserts its row every few seconds (the default of `startWorker`'s `heartbeatMs`). */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** /readyz reports the worker down when no heartbeat is newer than this. */
export const HEARTBEAT_FRESH_MS = 60_000;

/** Heartbeats decide whose jobs are released, so only the platform client writes them; tenant code may read them. */
export async function beat(workerId: string, startedAt: Date, graphileWorkerIds: string[]): Promise<void> {
  await platformDb.$executeRaw`
    INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, seen_at, graphile_worker_ids)
    VALUES (${workerId}, ${hostname()}, ${process.pid}, ${startedAt}, now(), ${graphileWorkerIds}::text[])
    ON CONFLICT (worker_id) DO UPDATE SET seen_at = now(), graphile_worker_ids = EXCLUDED.graphile_worker_ids`;
}

/**
 * A process releases other processes' jobs only once it has itself been
 * beating for three intervals without a failure. After a database outage every
 * heartbeat is stale; the first process back must not take that for death and
 * unlock jobs the others are still running — they get three beats to show up.
 */
export function mayReleaseDeadWorkers(healthySince: number | null, now: number, heartbeatMs = HEARTBEAT_INTERVAL_MS): boolean {
  return healthySince !== null && now - healthySince >= 3 * heartbeatMs;
}

/**
 * Releases the jobs of worker processes that stopped beating (killed or
 * crashed), so they run again now rather than after graphile-worker's
 * four-hour lock timeout. Jobs claim their rows, so a re-run repeats nothing.
 * Returns how many dead processes were cleared.
 */
export async function releaseDeadWorkers(staleAfterMs = HEARTBEAT_FRESH_MS): Promise<number> {
  const dead = await platformDb.$queryRaw<Array<{ worker_id: string; graphile_worker_ids: string[] }>>`
    DELETE FROM worker_heartbeats WHERE seen_at < now() - make_interval(secs => ${staleAfterMs / 1000}::float8)
    RETURNING worker_id, graphile_worker_ids`;
  const ids = dead.flatMap((d) => d.graphile_worker_ids);
  // The job tables are the platform's: the application role has no rights on them.
  if (ids.length) await platformDb.$executeRaw`SELECT graphile_worker.force_unlock_workers(${ids}::text[])`;
  return dead.length;
}

/**
 * Jobs this process still holds locked but no longer runs: their outcome was
 * being written when the database went away, so graphile-worker would keep
 * them locked for four hours. They run again now (jobs claim their rows, so
 * the re-run repeats nothing), and so do the named queues they held.
 */
export async function releaseOrphanedJobs(graphileWorkerIds: string[], runningJobIds: string[]): Promise<number> {
  if (graphileWorkerIds.length === 0) return 0;
  const released = await platformDb.$queryRaw<Array<{ job_queue_id: number | null }>>`
    UPDATE graphile_worker._private_jobs SET locked_at = NULL, locked_by = NULL
    WHERE locked_by = ANY (${graphileWorkerIds}::text[]) AND id <> ALL (${runningJobIds}::bigint[])
    RETURNING job_queue_id`;
  const queues = released.flatMap((j) => (j.job_queue_id === null ? [] : [j.job_queue_id]));
  if (queues.length) {
    await platformDb.$executeRaw`
      UPDATE graphile_worker._private_job_queues SET locked_at = NULL, locked_by = NULL
      WHERE id = ANY (${queues}::int[]) AND locked_by = ANY (${graphileWorkerIds}::text[])`;
  }
  return released.length;
}

export async function forget(workerId: string): Promise<void> {
  await platformDb.$executeRaw`DELETE FROM worker_heartbeats WHERE worker_id = ${workerId}`;
}

export async function latestHeartbeat(): Promise<Date | null> {
  const rows = await db.$queryRaw<Array<{ seen_at: Date | null }>>`SELECT max(seen_at) AS seen_at FROM worker_heartbeats`;
  return rows[0]?.seen_at ?? null;
}

export async function pruneWorkerHeartbeats(olderThanHours: number): Promise<number> {
  return platformDb.$executeRaw`DELETE FROM worker_heartbeats WHERE seen_at < now() - make_interval(hours => ${olderThanHours}::int)`;
}
