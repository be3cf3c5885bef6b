import { hostname } from "node:os";
import { db } from "../db.server";

/** Worker liveness: each worker process upserts its row every few seconds. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** /healthz reports the worker down when no heartbeat is newer than this. */
export const HEARTBEAT_FRESH_MS = 60_000;

export async function beat(workerId: string, startedAt: Date): Promise<void> {
  await db.$executeRaw`
    INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, seen_at)
    VALUES (${workerId}, ${hostname()}, ${process.pid}, ${startedAt}, now())
    ON CONFLICT (worker_id) DO UPDATE SET seen_at = now()`;
}

export async function forget(workerId: string): Promise<void> {
  await db.$executeRaw`DELETE FROM worker_heartbeats WHERE worker_id = ${workerId}`;
}

export async function latestHeartbeat(): Promise<Date | null> {
  const rows = await db.$queryRaw<Array<{ seen_at: Date | null }>>`SELECT max(seen_at) AS seen_at FROM worker_heartbeats`;
  return rows[0]?.seen_at ?? null;
}

export async function pruneWorkerHeartbeats(olderThanHours: number): Promise<number> {
  return db.$executeRaw`DELETE FROM worker_heartbeats WHERE seen_at < now() - make_interval(hours => ${olderThanHours}::int)`;
}
