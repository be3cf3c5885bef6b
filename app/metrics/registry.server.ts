import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from "prom-client";
import { singleton } from "~/singleton.server";

/**
 * The process's one metrics registry (never prom-client's global default, so
 * tests and the Remix bundle share exactly this one through `singleton`), and
 * the metrics this process measures itself. What is read from the database at
 * scrape time lives in platform-metrics.server.ts.
 */
export const metricsRegistry: Registry = singleton("metrics:registry", () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
});

/** Metrics of this registry, each created once per process however often its module is evaluated (dev rebuilds). */
export function counter<L extends string>(config: Omit<CounterConfiguration<L>, "registers">): Counter<L> {
  return singleton(`metrics:${config.name}`, () => new Counter({ ...config, registers: [metricsRegistry] }));
}

export function gauge<L extends string>(config: Omit<GaugeConfiguration<L>, "registers">): Gauge<L> {
  return singleton(`metrics:${config.name}`, () => new Gauge({ ...config, registers: [metricsRegistry] }));
}

export function histogram<L extends string>(config: Omit<HistogramConfiguration<L>, "registers">): Histogram<L> {
  return singleton(`metrics:${config.name}`, () => new Histogram({ ...config, registers: [metricsRegistry] }));
}

/** Latency buckets for web requests and vendor calls, in seconds. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Jobs run from milliseconds (a heartbeat prune) to many minutes (a nightly run's fan-out). */
const JOB_BUCKETS = [0.01, 0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600];

export const httpRequests = counter({
  name: "nexius_http_requests_total",
  help: "Web requests answered, by method, Remix route id and status",
  labelNames: ["method", "route", "status"] as const,
});

export const httpRequestDuration = histogram({
  name: "nexius_http_request_duration_seconds",
  help: "Time from a web request's arrival to its last byte, by method and Remix route id",
  labelNames: ["method", "route"] as const,
  buckets: REQUEST_BUCKETS,
});

export const jobsFinished = counter({
  name: "nexius_jobs_total",
  help: "Job attempts this worker finished, by task and outcome (success; retry: failed, will run again; failed: out of attempts)",
  labelNames: ["task", "outcome"] as const,
});

export const jobDuration = histogram({
  name: "nexius_job_duration_seconds",
  help: "Time one job attempt ran, by task and outcome",
  labelNames: ["task", "outcome"] as const,
  buckets: JOB_BUCKETS,
});

export const vendorCallDuration = histogram({
  name: "nexius_vendor_request_duration_seconds",
  help: "Time one HTTP exchange with a vendor took, by vendor and outcome (ok: an answer, of any status; timeout; unavailable)",
  labelNames: ["vendor", "outcome"] as const,
  buckets: REQUEST_BUCKETS,
});

export const vendorStaleSlots = counter({
  name: "nexius_vendor_stale_slots_total",
  help: "Slots in a vendor's rate window this worker left unused because the request was not sent soon enough after the grant (a sign of a worker short of CPU)",
  labelNames: ["vendor"] as const,
});

/** Seconds from `started` (a `process.hrtime.bigint()`) to now, for histograms. */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The subset of pg.Pool the pool gauge reads. */
export type WatchedPool = { totalCount: number; idleCount: number; waitingCount: number };

const watchedPools = singleton("metrics:pools", () => new Map<string, WatchedPool>());

gauge({
  name: "nexius_db_pool_connections",
  help: "Postgres connections of this process's pools: total open, idle, and callers waiting for one",
  labelNames: ["pool", "state"] as const,
  collect() {
    this.reset();
    for (const [pool, counts] of watchedPools) {
      this.set({ pool, state: "total" }, counts.totalCount);
      this.set({ pool, state: "idle" }, counts.idleCount);
      this.set({ pool, state: "waiting" }, counts.waitingCount);
    }
  },
});

/** Reports `pool`'s connection counts under `name` from the next scrape on; returns the pool. */
export function watchPool<P extends WatchedPool>(name: string, pool: P): P {
  watchedPools.set(name, pool);
  return pool;
}
