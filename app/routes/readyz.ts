import { json } from "@remix-run/node";
import { platformReadiness } from "~/health.server";

/**
 * Readiness of the whole platform, for monitoring and deploy checks: the
 * database reachable and a job worker seen lately (runs, provisioning and
 * pushes need one). Not for a load balancer's routing; that is /healthz.
 */
export async function loader() {
  const ready = await platformReadiness();
  return json(ready, { status: ready.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
