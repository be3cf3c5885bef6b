import { createServer, type Server } from "node:http";
import { env } from "~/env.server";
import { rootLogger } from "~/logger.server";
import { metricsAccess } from "./access.server";
import { metricsRegistry } from "./registry.server";

/**
 * The answer to GET /metrics: the registry in Prometheus text format, for a
 * caller `metricsAccess` admits. `beforeRender` refreshes what is read at
 * scrape time (the web process's platform figures).
 */
export async function metricsResponse(request: Request, beforeRender?: () => Promise<void>): Promise<Response> {
  const config = env();
  const access = metricsAccess(request.headers.get("authorization"), { token: config.METRICS_TOKEN, production: config.NODE_ENV === "production" });
  const headers = { "Cache-Control": "no-store" };
  if (access === "not_found") return new Response("Not Found", { status: 404, headers });
  if (access === "unauthorized") return new Response("Unauthorized", { status: 401, headers: { ...headers, "WWW-Authenticate": 'Bearer realm="metrics"' } });
  await beforeRender?.();
  return new Response(await metricsRegistry.metrics(), { headers: { ...headers, "Content-Type": metricsRegistry.contentType } });
}

/**
 * A worker's own /metrics on an internal port: its job counts and durations,
 * its vendor call latency and its pools live in its memory, not in the web
 * process. Listens on all interfaces, as a Prometheus in another container
 * must reach it; the token guards it as it guards the web's.
 */
export function serveWorkerMetrics(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://worker").pathname;
    const answer =
      req.method === "GET" && path === "/metrics"
        ? metricsResponse(new Request("http://worker/metrics", { headers: { authorization: req.headers.authorization ?? "" } }))
        : Promise.resolve(new Response("Not Found", { status: 404 }));
    void answer
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(await response.text());
      })
      .catch((error: unknown) => {
        rootLogger.error({ err: error }, "worker metrics failed");
        res.writeHead(500).end();
      });
  });
  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}
