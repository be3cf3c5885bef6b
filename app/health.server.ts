import { db } from "~/db.server";
import { HEARTBEAT_FRESH_MS, latestHeartbeat } from "~/jobs/heartbeat.server";
import { log } from "~/logger.server";

export async function databaseReachable(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch (error) {
    log().warn({ err: error }, "health: database check failed");
    return false;
  }
}

export type PlatformReadiness = { ok: boolean; db: boolean; worker: boolean; workerSeenAt: string | null };

/** The database reachable and a worker's heartbeat newer than HEARTBEAT_FRESH_MS. */
export async function platformReadiness(now = new Date()): Promise<PlatformReadiness> {
  let workerSeenAt: Date | null = null;
  const dbOk = await databaseReachable();
  if (dbOk) {
    try {
      workerSeenAt = await latestHeartbeat();
    } catch (error) {
      log().warn({ err: error }, "health: heartbeat check failed");
    }
  }
  const workerOk = workerSeenAt !== null && now.getTime() - workerSeenAt.getTime() < HEARTBEAT_FRESH_MS;
  return { ok: dbOk && workerOk, db: dbOk, worker: workerOk, workerSeenAt: workerSeenAt?.toISOString() ?? null };
}
