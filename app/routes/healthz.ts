import { json } from "@remix-run/node";
import { db } from "~/db.server";
import { HEARTBEAT_FRESH_MS, latestHeartbeat } from "~/jobs/heartbeat.server";
import { log } from "~/logger.server";

/** Liveness for load balancers and the dev runner: database reachable, a worker seen lately. */
export async function loader() {
  let dbOk = false;
  let workerSeenAt: Date | null = null;
  try {
    await db.$queryRaw`SELECT 1`;
    dbOk = true;
    workerSeenAt = await latestHeartbeat();
  } catch (error) {
    log().warn({ err: error }, "healthz: database check failed");
  }
  const workerOk = workerSeenAt !== null && Date.now() - workerSeenAt.getTime() < HEARTBEAT_FRESH_MS;
  const ok = dbOk && workerOk;
  return json(
    { ok, db: dbOk, worker: workerOk, workerSeenAt: workerSeenAt?.toISOString() ?? null },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
