import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { UNSAFE_defineRoutes } from "@remix-run/dev";
import express, { type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import parsePrometheusTextFormat, { type MetricFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import remixConfig from "../../remix.config.js";
import { invoke } from "../support/app-requests";
import { expectErrorLogs } from "../support/error-logs";
import { waitFor } from "../support/wait-for";

/**
 * GET /metrics over real HTTP, on an express server with the web server's
 * request metrics in front of the real route modules (labelled by the app's
 * real route manifest), after requests, jobs run by a real worker, a vendor
 * call and platform facts in the database. The body must parse as Prometheus
 * text and hold exactly what happened.
 */
const TOKEN = "metrics-test-token-0123456789";
Object.assign(process.env, { METRICS_TOKEN: TOKEN });

type Loader = (args: never) => unknown;
let app: Awaited<ReturnType<typeof loadApp>>;
let web: Server;
let vendorSite: Server;
let baseUrl: string;
let worker: { stop(): Promise<void> };
const RUN_ID_PATH = "/app/runs/0b6c1f1e-1d55-4c3e-9a59-2f7b1a0f3c11";

async function loadApp() {
  const [db, metricsRoute, healthz, httpMetrics, workerServer, defineTask, enqueue, vendorHttp] = await Promise.all([
    import("~/db.server"),
    import("~/routes/metrics"),
    import("~/routes/healthz"),
    import("~/metrics/http-metrics.server"),
    import("~/jobs/worker.server"),
    import("~/jobs/define-task.server"),
    import("~/jobs/enqueue.server"),
    import("~/vendors/http.server"),
  ]);
  return {
    ...db,
    metricsLoader: metricsRoute.loader,
    healthzLoader: healthz.loader,
    ...httpMetrics,
    ...workerServer,
    ...defineTask,
    ...enqueue,
    ...vendorHttp,
  };
}

/** The app's route manifest as `remix build` writes it into build.routes: the root and the flat routes under it. */
async function routeManifest() {
  const routes = await remixConfig.routes!(UNSAFE_defineRoutes);
  return { root: { id: "root", path: "" }, ...routes };
}

/** Answers an express request with a route module's loader, as Remix would for a resource route. */
function remixLoader(loader: Loader) {
  return async (req: ExpressRequest, res: ExpressResponse) => {
    const headers = Object.entries(req.headers).flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : []));
    const response = await invoke(loader, new Request(`http://127.0.0.1${req.originalUrl}`, { method: req.method, headers }));
    res.status(response.status);
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.send(await response.text());
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const succeeding = () => app.defineTask("test_metrics_ok", { schema: z.object({}) }, async () => {});
const failing = () =>
  app.defineTask("test_metrics_fail", { schema: z.object({}) }, async () => {
    throw new Error("metrics test failure");
  });

beforeAll(async () => {
  app = await loadApp();
  const server = express();
  server.use(app.httpMetrics(await routeManifest(), { publicDir: "public" }));
  server.get("/metrics", remixLoader(app.metricsLoader));
  server.get("/healthz", remixLoader(app.healthzLoader));
  // Pages this test does not render: the splat route's 404, under the route id their path matches.
  server.all("*", (_req, res) => res.status(404).send("Not Found"));
  web = createServer(server);
  baseUrl = await listen(web);
  vendorSite = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  worker = await app.startWorker({ concurrency: 2, pollInterval: 100, extraTasks: [succeeding(), failing()], crontabFile: null });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  for (const server of [web, vendorSite]) if (server?.listening) await new Promise((resolve) => server.close(resolve));
});

async function scrape(): Promise<{ text: string; families: Map<string, MetricFamily> }> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain;.*version=0\.0\.4/);
  const text = await response.text();
  return { text, families: new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family])) };
}

/** The value of the one series of `family` with exactly `labels`; 0 when there is none. */
function valueOf(families: Map<string, MetricFamily>, family: string, labels: Record<string, string>): number {
  const series = families.get(family)?.metrics.find((sample) => JSON.stringify(sample.labels ?? {}) === JSON.stringify(labels));
  return series?.value === undefined ? 0 : Number(series.value);
}

async function seedPlatformFacts() {
  const tenant = await app.platformDb.tenant.create({ data: { slug: "metrics-acme", name: "Metrics Acme", status: "active" } });
  const run = await app.platformDb.run.create({ data: { tenantId: tenant.id, kind: "nightly", status: "succeeded", runDate: new Date() } });
  await app.platformDb.run.create({ data: { tenantId: tenant.id, kind: "manual", status: "failed", degraded: true, runDate: new Date() } });
  await app.platformDb.runVendorUsage.createMany({
    data: [
      { tenantId: tenant.id, runId: run.id, vendor: "tavily", calls: 7, errors: 2, costUsd: 0.056 },
      { tenantId: tenant.id, runId: run.id, vendor: "zerobounce", calls: 3, errors: 0, costUsd: 0.024 },
    ],
  });
  await app.platformDb.lakeSource.create({
    data: { tenantId: tenant.id, source: "odoo", enabled: true, lastSuccessAt: new Date(Date.now() - 30 * 60_000), freshnessSlaMinutes: 120 },
  });
  await app.platformDb.lakeSyncRun.createMany({
    data: [
      { tenantId: tenant.id, source: "odoo", mode: "incremental", trigger: "schedule", status: "succeeded" },
      { tenantId: tenant.id, source: "odoo", mode: "full", trigger: "schedule", status: "failed" },
    ],
  });
}

describe("GET /metrics", () => {
  it("answers 401 without the bearer token or with a wrong one", async () => {
    const without = await fetch(`${baseUrl}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}-not` } })).status).toBe(401);
  });

  it("counts requests by route id and status, jobs by task and outcome, and reads the platform's figures", async () => {
    expectErrorLogs(/Failed task \d+ \(test_metrics_fail.*metrics test failure/);
    const before = await scrape();
    const healthzBefore = valueOf(before.families, "nexius_http_requests_total", { method: "GET", route: "routes/healthz", status: "200" });

    for (let i = 0; i < 3; i++) expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
    for (const path of [RUN_ID_PATH, `${RUN_ID_PATH}.data`]) expect((await fetch(`${baseUrl}${path}`)).status).toBe(404);
    await app.addJob("test_metrics_ok", {});
    const failed = await app.addJob("test_metrics_fail", {}, { maxAttempts: 1 });
    await app.addJob("test_metrics_ok", {}, { runAt: new Date(Date.now() + 3_600_000) });
    await app.vendorRequest("tavily", await listen(vendorSite), { method: "GET", timeoutMs: 5_000 });
    await seedPlatformFacts();
    await waitFor(
      async () => {
        const [row] = await app.platformDb.$queryRaw<Array<{ attempts: number }>>`SELECT attempts FROM graphile_worker.jobs WHERE id = ${BigInt(failed.id)}`;
        return row?.attempts === 1 && (await app.platformDb.$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker.jobs WHERE locked_at IS NOT NULL`).length === 0;
      },
      { what: "both jobs to finish" },
    );
    await waitFor(async () => valueOf((await scrape()).families, "nexius_jobs_total", { task: "test_metrics_fail", outcome: "failed" }) === 1, {
      what: "the failure to be counted",
    });

    const { text, families } = await scrape();
    for (const [name, type] of Object.entries({
      nexius_http_requests_total: "COUNTER",
      nexius_http_request_duration_seconds: "HISTOGRAM",
      nexius_jobs_total: "COUNTER",
      nexius_job_duration_seconds: "HISTOGRAM",
      nexius_job_queue_depth: "GAUGE",
      nexius_vendor_calls_total: "COUNTER",
      nexius_vendor_errors_total: "COUNTER",
      nexius_vendor_cost_usd_total: "COUNTER",
      nexius_vendor_request_duration_seconds: "HISTOGRAM",
      nexius_runs_last_day: "GAUGE",
      nexius_lake_sync_runs_last_day: "GAUGE",
      nexius_lake_freshness_seconds: "GAUGE",
      nexius_lake_sources: "GAUGE",
      nexius_lake_tenant_freshness_seconds: "GAUGE",
      nexius_db_pool_connections: "GAUGE",
      process_cpu_seconds_total: "COUNTER",
    })) {
      expect(families.get(name)?.type, name).toBe(type);
    }

    // Requests: exactly the ones made, under the route id and never the raw path.
    expect(valueOf(families, "nexius_http_requests_total", { method: "GET", route: "routes/healthz", status: "200" })).toBe(healthzBefore + 3);
    expect(valueOf(families, "nexius_http_requests_total", { method: "GET", route: "routes/app+/runs.$id", status: "404" })).toBe(2);
    const routes = new Set(families.get("nexius_http_requests_total")!.metrics.map((sample) => sample.labels!.route));
    expect([...routes].sort()).toEqual(["routes/app+/runs.$id", "routes/healthz", "routes/metrics"]);
    expect(text).not.toContain("0b6c1f1e");
    // The parser folds labelled histograms into one series, so their per-label counts are read from the text.
    expect(text).toContain('nexius_http_request_duration_seconds_count{method="GET",route="routes/healthz"}');

    // Jobs: one success, one permanent failure, each timed; the queue holds the failed job and the scheduled one.
    expect(valueOf(families, "nexius_jobs_total", { task: "test_metrics_ok", outcome: "success" })).toBe(1);
    expect(valueOf(families, "nexius_jobs_total", { task: "test_metrics_fail", outcome: "failed" })).toBe(1);
    expect(valueOf(families, "nexius_jobs_total", { task: "test_metrics_fail", outcome: "retry" })).toBe(0);
    expect(text).toContain('nexius_job_duration_seconds_count{task="test_metrics_ok",outcome="success"} 1\n');
    expect(text).toContain('nexius_job_duration_seconds_count{task="test_metrics_fail",outcome="failed"} 1\n');
    expect(valueOf(families, "nexius_job_queue_depth", { task: "test_metrics_fail", state: "failed" })).toBe(1);
    expect(valueOf(families, "nexius_job_queue_depth", { task: "test_metrics_ok", state: "scheduled" })).toBe(1);
    expect(valueOf(families, "nexius_job_queue_depth", { task: "test_metrics_ok", state: "ready" })).toBe(0);

    // Vendors: the usage ledger's sums, and the one call made here timed.
    expect(valueOf(families, "nexius_vendor_calls_total", { vendor: "tavily" })).toBe(7);
    expect(valueOf(families, "nexius_vendor_errors_total", { vendor: "tavily" })).toBe(2);
    expect(valueOf(families, "nexius_vendor_cost_usd_total", { vendor: "tavily" })).toBeCloseTo(0.056, 9);
    expect(valueOf(families, "nexius_vendor_calls_total", { vendor: "zerobounce" })).toBe(3);
    expect(text).toContain('nexius_vendor_request_duration_seconds_count{vendor="tavily",outcome="ok"} 1\n');

    // Runs and the data lake.
    expect(valueOf(families, "nexius_runs_last_day", { status: "succeeded", degraded: "false" })).toBe(1);
    expect(valueOf(families, "nexius_runs_last_day", { status: "failed", degraded: "true" })).toBe(1);
    expect(valueOf(families, "nexius_lake_sync_runs_last_day", { source: "odoo", status: "succeeded" })).toBe(1);
    expect(valueOf(families, "nexius_lake_sync_runs_last_day", { source: "odoo", status: "failed" })).toBe(1);
    expect(valueOf(families, "nexius_lake_sources", { source: "odoo", freshness: "fresh" })).toBe(1);
    expect(valueOf(families, "nexius_lake_freshness_seconds", { source: "odoo" })).toBeGreaterThanOrEqual(30 * 60);
    expect(valueOf(families, "nexius_lake_freshness_seconds", { source: "odoo" })).toBeLessThan(32 * 60);
    expect(valueOf(families, "nexius_lake_tenant_freshness_seconds", { tenant: "metrics-acme", source: "odoo" })).toBeGreaterThanOrEqual(30 * 60);

    // Pools: the app's (used by /healthz) and the worker's queue.
    expect(valueOf(families, "nexius_db_pool_connections", { pool: "app", state: "total" })).toBeGreaterThan(0);
    expect(valueOf(families, "nexius_db_pool_connections", { pool: "job_queue", state: "total" })).toBeGreaterThan(0);
    expect(families.get("nexius_db_pool_connections")!.metrics.map((sample) => sample.labels!.state)).toContain("waiting");
  });
});

describe("a worker's own /metrics", () => {
  it("serves this process's job counts on its port, behind the same token", async () => {
    const { serveWorkerMetrics } = await import("~/metrics/exposition.server");
    const server = await serveWorkerMetrics(0);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/other`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
      const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(200);
      const families = new Map(parsePrometheusTextFormat(await response.text()).map((family) => [family.name, family]));
      expect(valueOf(families, "nexius_jobs_total", { task: "test_metrics_ok", outcome: "success" })).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
