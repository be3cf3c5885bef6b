import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureDemoRegistry } from "../../app/dev/demo-registry.server";
import { type RunMetrics } from "../../app/runs/metrics";
import { LIMITED_VENDORS } from "../sims/dev-world/dev-world";
import { readServiceLog, type ServedRecord } from "../sims/dev-world/service-log";
import { benchDatabase, round } from "./bench-database";
import { nightlyBound } from "./nightly-bound";
import { companyTimeline, printTimeline } from "./nightly-timeline";
import { postmasterPid, treeCpuSeconds } from "./process-cpu";

/**
 * `npm run bench:nightly -- --companies 1000`: one nightly run over N
 * companies against the dev world with realistic, seeded service times and
 * their tails (pages ~0.3 s plus 1 s politeness per host, LLM 0.25 s plus
 * 10 ms per completion token, Tavily ~1.4 s, Apify actor runs 10–60 s,
 * ZeroBounce batches ~2 s; see DEV_WORLD_PROFILES). The dev world runs in its
 * own process, the pipeline (worker) in this one, at the product's own
 * defaults (WORKER_CONCURRENCY, DB_POOL_SIZE, CRAWL_CONCURRENCY, the job
 * poll interval) unless `--concurrency`, `--db-pool`, `--crawl-concurrency`
 * or `--poll-interval` say otherwise.
 * Prints wall time, per-stage p50/p95, the run's acceptance figures, and the
 * ratio of wall time to the run's lower bound (nightly-bound.ts), computed
 * from the service times the simulators injected — not from the stage
 * durations, which include queueing — with each term and the one that binds.
 *
 * With `--workers N` the pipeline runs in N worker processes of its own
 * (each with `--concurrency` jobs), as N machines against one Postgres would:
 * the vendor limits and per-host politeness they share live in Postgres. The
 * JSON adds the vendor-limit breaches the simulators counted (must be 0) and
 * the peak number of Postgres connections, sampled every 250 ms.
 *
 * CPU per company: the worker processes' own CPU time (with one worker, this
 * process's; it polls the run's progress on a connection of its own) and, on the embedded
 * Postgres, the server's (every backend's) from /proc, from the run's start
 * to its end, divided by the companies.
 *
 * With `--statements` the server also counts the statements it ran during the
 * run (pg_stat_statements): per company in all, and the most frequent ones.
 */
const { values: args } = parseArgs({
  options: {
    companies: { type: "string", default: "1000" },
    concurrency: { type: "string" },
    "db-pool": { type: "string" },
    "crawl-concurrency": { type: "string" },
    profile: { type: "string", default: "realistic" },
    "fault-rate": { type: "string", default: "0" },
    workers: { type: "string", default: "1" },
    "poll-interval": { type: "string" },
    statements: { type: "boolean", default: false },
  },
});
const workers = Number(args.workers);
const companies = Number(args.companies);
const loadBefore = loadavg();

// `--statements`: the server counts what it runs (pg_stat_statements, which costs it a little CPU of its own).
const database = await benchDatabase("nexius_bench_nightly", {
  settings: args.statements ? { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.max": "10000" } : {},
});
console.error("loading the registry sample…");
await ensureDemoRegistry({ connectionString: database.ownerUrl, rows: Math.max(3000, companies * 3), seed: 7 });

const dataDir = path.resolve(".data/bench-nightly");
await mkdir(dataDir, { recursive: true });
await Promise.all(["world", ...LIMITED_VENDORS].map((name) => rm(path.join(dataDir, `${name}-served.jsonl`), { force: true })));
const registry = new pg.Client({ connectionString: database.ownerUrl });
await registry.connect();
const { rows: sample } = await registry.query(
  `SELECT uen, entity_name AS name, primary_ssic_code AS "ssicCode", primary_ssic_description AS "ssicDescription" FROM staging_acra_companies`,
);
await registry.end();
await writeFile(path.join(dataDir, "companies.json"), JSON.stringify(sample));

console.error(`starting the dev world (${args.profile} latencies, fault rate ${args["fault-rate"]})…`);
/**
 * One dev world process over the sample; `--only <vendor>` serves that
 * vendor's API alone. Each vendor with a rate limit gets a process of its
 * own, as the vendor is not on the machine that serves the crawled sites:
 * its simulator counts a request against the key's limit when its handler
 * runs, and in the one busy process that was up to 34 s after the worker
 * wrote it, so a minute's requests were counted in the next (the 24 "LLM
 * breaches" of a 5,000-company run on three workers; see startVendorWorld).
 */
function spawnWorld(name: string, extra: string[]) {
  // Node itself with tsx's loader, not the tsx command: that one SIGKILLs its child when the child does not confirm a
  // relayed SIGTERM within 30 ms, which a busy world at the end of a 5,000-company run did not, and its counts were lost.
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "tests/sims/dev-world/main.ts",
      "--companies-file",
      path.join(dataDir, "companies.json"),
      "--env-out",
      path.join(dataDir, `${name}-env.json`),
      "--profile",
      args.profile!,
      "--fault-rate",
      args["fault-rate"]!,
      "--seed",
      "bench",
      "--service-log",
      path.join(dataDir, `${name}-served.jsonl`),
      ...extra,
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  // "close": its stdout is read to the end, counts included.
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const envFile = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = out.match(/\{"ready":"([^"]+)"\}/);
      if (match) resolve(match[1]!);
    });
    child.on("exit", (code) => reject(new Error(`dev world ${name} exited with ${code}`)));
  });
  return {
    child,
    envFile,
    /** Stops it and reads the vendor-limit breaches its simulators counted and the service times it injected. */
    async stop(): Promise<{ limitBreaches: Record<string, number>; served: ServedRecord[] }> {
      child.kill("SIGTERM");
      await exited;
      const stopped = out.match(/\{"stopped":(\{.*\})\}/);
      if (!stopped) throw new Error(`the dev world ${name} stopped without reporting its counts`);
      const served = await readServiceLog(path.join(dataDir, `${name}-served.jsonl`));
      return { ...(JSON.parse(stopped[1]!) as { limitBreaches: Record<string, number> }), served };
    },
  };
}
// The limited vendors' own processes come last: their env points the clients away from the world's copies.
const worlds = [spawnWorld("world", []), ...LIMITED_VENDORS.map((vendor) => spawnWorld(vendor, ["--only", vendor]))];
const worldEnvs = await Promise.all(worlds.map(async (w) => JSON.parse(await readFile(await w.envFile, "utf8")) as Record<string, string>));
const worldsCpuSeconds = async () => {
  const seconds = await Promise.all(worlds.map((w) => treeCpuSeconds(w.child.pid!)));
  return seconds.includes(null) ? null : seconds.reduce((sum: number, s) => sum + s!, 0);
};

Object.assign(process.env, ...worldEnvs, {
  DATABASE_URL: database.ownerUrl,
  APP_DATABASE_URL: database.appUrl,
  SECRET_KEYS: `bench:${randomBytes(32).toString("base64")}`,
  LOG_LEVEL: "error",
  APIFY_DAILY_CAP: "1000000",
  // Unset: the product's defaults, as a deployment that sets nothing runs.
  ...(args.concurrency ? { WORKER_CONCURRENCY: args.concurrency } : {}),
  ...(args["db-pool"] ? { DB_POOL_SIZE: args["db-pool"] } : {}),
  ...(args["crawl-concurrency"] ? { CRAWL_CONCURRENCY: args["crawl-concurrency"] } : {}),
});
const { env } = await import("../../app/env.server");
const settings = env();
const concurrency = settings.WORKER_CONCURRENCY;
const { startWorker, DEFAULT_POLL_INTERVAL_MS } = await import("../../app/jobs/worker.server");
// The product's worker polls at its default unless `--poll-interval` says otherwise: the bench polled at 100 ms,
// where each idle slot's own queue reads cost Postgres 111 ms of CPU a company against 48 at 2 s (1,000 companies, 500 slots).
const pollInterval = args["poll-interval"] ? Number(args["poll-interval"]) : undefined;
console.error(
  `settings: WORKER_CONCURRENCY ${concurrency}, DB_POOL_SIZE ${settings.DB_POOL_SIZE}, CRAWL_CONCURRENCY ${settings.CRAWL_CONCURRENCY}, job poll interval ${pollInterval ?? DEFAULT_POLL_INTERVAL_MS} ms × ${workers} worker(s)`,
);
const { platformDb, db } = await import("../../app/db.server");
const { saveIcpRules } = await import("../../app/icp/icp.server");
const { startRun } = await import("../../app/runs/start-run.server");
const { APIFY_LINKEDIN_VENDOR } = await import("../../app/vendors/apify.server");
const { BATCH: VERIFY_BATCH } = await import("../../app/runs/verify-emails.server");

// A plan without a monthly company quota: the default plan's would cut `--companies 5000` to a run of 2,000.
await platformDb.plan.upsert({ where: { code: "bench" }, create: { code: "bench", name: "Bench", active: false }, update: {} });
const tenant = await platformDb.tenant.create({
  data: { slug: `bench-${Date.now().toString(36)}`, name: "Bench Co", status: "active", plan: "bench" },
});
await platformDb.tenantSettings.create({ data: { tenantId: tenant.id, odooPushMode: "on_approval", dailyTokenBudget: 50_000_000 } });
// Every live company is a candidate: the benchmark is about the pipeline, not the ICP.
await saveIcpRules(tenant.id, { sub: "bench", email: null }, { dailyCap: companies, scoreThresholds: { high: 85, medium: 65 } });

// One worker in this process, or N worker processes of their own.
const worker = workers === 1 ? await startWorker({ crontabFile: null, pollInterval }) : null;
const children = Array.from({ length: workers === 1 ? 0 : workers }, () =>
  spawn("node_modules/.bin/tsx", ["tests/bench/nightly-worker.ts", ...(pollInterval === undefined ? [] : [String(pollInterval)])], {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  }),
);
await Promise.all(
  children.map(
    (child) =>
      new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
        child.on("exit", (code) => reject(new Error(`a worker process exited with ${code}`)));
      }),
  ),
);
const connections = new pg.Client({ connectionString: database.ownerUrl });
await connections.connect();
let peakConnections = 0;
const postgresPid = process.env.BENCH_DATABASE_URL ? null : await postmasterPid(path.resolve(".data/bench-pg"));
if (args.statements) {
  await connections.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await connections.query("SELECT pg_stat_statements_reset()");
}
const postgresCpuBefore = postgresPid ? await treeCpuSeconds(postgresPid) : null;
// The dev world shares the machine: its simulators' CPU is CPU the workers and Postgres did not get.
const worldCpuBefore = await worldsCpuSeconds();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const { runId } = await startRun(tenant.id, { kind: "manual", actor: null, options: { limit: companies } });
let lastLine = 0;
for (;;) {
  // The observer reads the run on a connection of its own, in one statement: its polls are not the pipeline's work,
  // so they stay out of the worker's CPU and out of the statements counted.
  const {
    rows: [progress],
  } = await connections.query<{ status: string; settled: number; target: number; stages: Record<string, number> }>(
    `SELECT r.status, r.settled_count AS settled, r.target_count AS target,
       COALESCE((SELECT json_object_agg(s.stage, s.n) FROM (SELECT COALESCE(stage, 'queued') AS stage, count(*)::int AS n FROM run_companies
                 WHERE run_id = r.id AND status NOT IN ('done', 'failed') GROUP BY 1) s), '{}') AS stages
     FROM runs r WHERE r.id = $1::uuid`,
    [runId],
  );
  if (!progress) throw new Error("run vanished");
  if (performance.now() - lastLine > 5000) {
    console.error(
      `  ${Math.round((performance.now() - started) / 1000)} s: ${progress.settled}/${progress.target} settled, ${JSON.stringify(progress.stages)}`,
    );
    lastLine = performance.now();
  }
  if (["succeeded", "failed", "cancelled"].includes(progress.status)) break;
  const { rows } = await connections.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()");
  peakConnections = Math.max(peakConnections, rows[0]!.n);
  await new Promise((r) => setTimeout(r, 250));
}
const wall = (performance.now() - started) / 1000;
// Every role's statements in this database but the bench's own polls (its progress reads and the connection count).
const statements = args.statements
  ? (
      await connections.query<{ calls: number; query: string; role: string; ms: number }>(
        `SELECT s.calls::int AS calls, s.query, r.rolname AS role, round(s.total_exec_time)::int AS ms
         FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
         WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND s.query NOT LIKE '%pg_stat_activity%' AND s.query NOT LIKE '%pg_stat_statements%' AND s.query NOT LIKE '%json_object_agg(s.stage%'
         ORDER BY s.calls DESC`,
      )
    ).rows
  : null;
await connections.end();
const postgresCpuAfter = postgresPid ? await treeCpuSeconds(postgresPid) : null;
const worldCpuAfter = await worldsCpuSeconds();
const ownCpu = process.cpuUsage(cpuBefore);
const timeline = await companyTimeline(database.ownerUrl, runId);

const run = await db.$withTenant(tenant.id, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: runId } } }));
const metrics = run.metrics as RunMetrics;

const usage = await db.$withTenant(tenant.id, (tx) => tx.runVendorUsage.findMany({ where: { runId } }));
const callsOf = (vendor: string) => usage.find((u) => u.vendor === vendor)?.calls ?? 0;
// Spend at list price: the run's usage rows are priced from VENDOR_UNIT_COST_USD, the table the run page shows.
const apifyRuns = callsOf(APIFY_LINKEDIN_VENDOR);
const llmTokens = usage.find((u) => u.vendor === "llm")?.units ?? 0;
const vendorCostUsd = round(
  usage.reduce((sum, u) => sum + u.costUsd, 0),
  4,
);
await worker?.stop();
// Each worker process prints its CPU seconds as it stops (its start-up is in them, a second or two).
const childCpu = await Promise.all(
  children.map((child) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number>((resolve) =>
      child.on("exit", () => resolve((JSON.parse(out.match(/\{"cpu_s":[^}]*\}/)?.[0] ?? '{"cpu_s":0}') as { cpu_s: number }).cpu_s)),
    );
    child.kill("SIGTERM");
    return exited;
  }),
);
const workerCpuS = workers === 1 ? (ownCpu.user + ownCpu.system) / 1e6 : childCpu.reduce((sum, s) => sum + s, 0);
const postgresCpuS = postgresCpuBefore !== null && postgresCpuAfter !== null ? postgresCpuAfter - postgresCpuBefore : null;
const worldCpuS = worldCpuBefore !== null && worldCpuAfter !== null ? worldCpuAfter - worldCpuBefore : null;
// The simulators count every request that broke a vendor's own limit; the worlds report them as they stop,
// and their service logs are complete once they have exited.
const stoppedWorlds = await Promise.all(worlds.map((w) => w.stop()));
const breaches: Record<string, number> = {};
for (const { limitBreaches } of stoppedWorlds) for (const [vendor, n] of Object.entries(limitBreaches)) breaches[vendor] = (breaches[vendor] ?? 0) + n;
const vendorViolations = Object.values(breaches).reduce((sum, n) => sum + n, 0);
const loadAfter = loadavg();

// The bound, from the service times the dev worlds injected.
const served = stoppedWorlds.flatMap((w) => w.served);
const bound = nightlyBound(served, {
  crawl: { minDelayMs: settings.CRAWL_MIN_DELAY_MS, maxCrawlDelayS: settings.CRAWL_MAX_CRAWL_DELAY_S },
  // The vendors' own limits (the simulators keep the documented ones): LLM_REQUESTS_PER_MINUTE matches the account's.
  llm: { requestsPerMinute: Number(process.env.LLM_REQUESTS_PER_MINUTE ?? 500) },
  tavily: { requestsPerMinute: Number(process.env.TAVILY_REQUESTS_PER_MINUTE ?? 1000) },
  zeroBounce: { callsPerWindow: 5, batchSize: VERIFY_BATCH },
});
const boundTerms = Object.fromEntries(Object.entries(bound.terms).map(([term, s]) => [term, round(s, 1)]));
// Not part of the bound: what the settings' job slots allow, each company holding one for its whole enrichment chain.
const slotFloor = bound.chainSecondsTotal / (workers * concurrency);

console.log(
  `companies: ${metrics.companies}, wall ${round(wall, 1)} s, bound ${round(bound.bound_s, 1)} s (${bound.binding}), ratio ${round(wall / bound.bound_s, 2)}`,
);
const slowest = bound.slowest;
console.log(
  `  company_chain ${boundTerms.company_chain} s: slowest company ${slowest?.uen ?? "-"} — crawl ${round(slowest?.webS ?? 0, 1)} s, then max(Tavily ${round(slowest?.tavilyS ?? 0, 1)} s + extraction ${round(slowest?.extractS ?? 0, 1)} s, Apify ${round(slowest?.apifyS ?? 0, 1)} s), Lusha ${round(slowest?.lushaS ?? 0, 1)} s, one verification batch`,
);
console.log(`  llm_window ${boundTerms.llm_window} s: ${bound.llmCalls} LLM calls in sliding one-minute windows`);
console.log(`  zerobounce_window ${boundTerms.zerobounce_window} s: ${bound.zeroBounceBatchesNeeded} batches needed, 5 a rolling minute`);
console.log(
  `  job slots (not in the bound): ${Math.round(bound.chainSecondsTotal)} s of company chains over ${workers} × ${concurrency} slots = ${round(slotFloor, 1)} s`,
);
console.log(`vendor spend: ${apifyRuns} Apify actor runs, ${callsOf("llm")} LLM calls (${llmTokens} tokens), $${vendorCostUsd} at list price`);
console.log("per-stage latency, queueing included (ms):");
for (const s of metrics.latency_ms) console.log(`  ${s.stage.padEnd(10)} p50 ${String(s.p50).padStart(6)}  p95 ${String(s.p95).padStart(6)}`);
console.log(
  `domain ${metrics.domain_rate}, about ${metrics.about_rate}, email ${metrics.email_rate}, max bucket share ${metrics.max_bucket_share}, rationale cache ${metrics.rationale_cache_hit_rate}`,
);
console.log(`workers ${workers}, vendor-limit breaches ${JSON.stringify(breaches)}, peak Postgres connections ${peakConnections}`);
console.log(
  `CPU: workers ${round(workerCpuS, 1)} s (${round((workerCpuS * 1000) / metrics.companies, 1)} ms a company), Postgres ${postgresCpuS === null ? "-" : `${round(postgresCpuS, 1)} s (${round((postgresCpuS * 1000) / metrics.companies, 1)} ms a company)`}, dev world ${worldCpuS === null ? "-" : `${round(worldCpuS, 1)} s (${round((worldCpuS * 1000) / metrics.companies, 1)} ms a company)`}`,
);
printTimeline(timeline);
if (statements) {
  await writeFile(path.join(dataDir, "statements.json"), JSON.stringify(statements, null, 1));
  const total = statements.reduce((sum, s) => sum + s.calls, 0);
  console.log(
    `statements: ${total} (${round(total / metrics.companies, 1)} a company); the most frequent, calls a company (all in ${path.join(dataDir, "statements.json")}):`,
  );
  for (const s of statements.slice(0, 40)) {
    console.log(
      `  ${String(round(s.calls / metrics.companies, 2)).padStart(7)}  ${String(s.ms).padStart(6)} ms  ${s.role.padEnd(12)} ${s.query.replace(/\s+/g, " ").slice(0, 160)}`,
    );
  }
}
console.log(`load average (1/5/15 min): before ${loadBefore.map((l) => round(l, 2)).join(" ")}, after ${loadAfter.map((l) => round(l, 2)).join(" ")}`);

console.log(
  JSON.stringify({
    workers,
    companies: metrics.companies,
    wall_s: round(wall, 1),
    bound_s: round(bound.bound_s, 1),
    ratio: round(wall / bound.bound_s, 2),
    bound_terms: boundTerms,
    binding: bound.binding,
    slot_floor_s: round(slotFloor, 1),
    vendor_violations: vendorViolations,
    peak_connections: peakConnections,
    worker_cpu_s: round(workerCpuS, 1),
    worker_cpu_ms_per_company: round((workerCpuS * 1000) / metrics.companies, 1),
    postgres_cpu_s: postgresCpuS === null ? null : round(postgresCpuS, 1),
    postgres_cpu_ms_per_company: postgresCpuS === null ? null : round((postgresCpuS * 1000) / metrics.companies, 1),
    world_cpu_s: worldCpuS === null ? null : round(worldCpuS, 1),
    statements_per_company: statements ? round(statements.reduce((sum, s) => sum + s.calls, 0) / metrics.companies, 1) : null,
    concurrency,
    db_pool_size: settings.DB_POOL_SIZE,
    crawl_concurrency: settings.CRAWL_CONCURRENCY,
    poll_interval_ms: pollInterval ?? DEFAULT_POLL_INTERVAL_MS,
    load_avg: { before: round(loadBefore[0]!, 2), after: round(loadAfter[0]!, 2) },
    last_start_s: timeline.lastStartS,
    apify_runs: apifyRuns,
    llm_calls: callsOf("llm"),
    llm_tokens: llmTokens,
    vendor_cost_usd: vendorCostUsd,
    zerobounce_calls: callsOf("zerobounce"),
    stages: Object.fromEntries(metrics.latency_ms.map((s) => [s.stage, { p50_ms: s.p50, p95_ms: s.p95 }])),
    domain_rate: metrics.domain_rate,
    about_rate: metrics.about_rate,
    email_rate: metrics.email_rate,
    max_bucket_share: metrics.max_bucket_share,
    degraded: run.degraded,
    degraded_reasons: run.degradedReasons,
  }),
);

await db.$disconnect();
await platformDb.$disconnect();
await database.stop();
process.exit(0);
