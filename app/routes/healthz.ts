import { json } from "@remix-run/node";
import { databaseReachable } from "~/health.server";

/**
 * Liveness of this web process: it answers and reaches its database. A load
 * balancer routes traffic by this; a stale worker does not take the web tier
 * out of service (that is /readyz, the whole platform's readiness).
 */
export async function loader() {
  const dbOk = await databaseReachable();
  return json({ ok: dbOk, db: dbOk }, { status: dbOk ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
