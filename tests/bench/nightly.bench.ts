import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureDemoRegistry } from "../../app/dev/demo-registry.server";
import { type RunMetrics } from "../../app/runs/metrics";
import { benchDatabase, round } from "./bench-database";

/**
 * `npm run bench:nightly -- --companies 1000`: one nightly run over N
 * companies against the dev world with realistic latencies (pages 150–600 ms
 * plus 1 s politeness per host, LLM ~1 s, Tavily ~1.5 s, Apify actor runs
 * 2–6 s, ZeroBounce batches ~2 s). The dev world runs in its own process, the
 * pipeline (worker) in this one. Prints wall time, per-stage p50/p95, the
 * run's acceptance figures, and the ratio of wall time to the run's
 * critical-path lower bound: the slowest company's own chain of stage
 * latencies (website stages and contacts run side by side) plus one
 * verification batch — what no amount of parallelism could beat.
 *
 * With `--workers N` the pipeline runs in N worker processes of its own
 * (each with `--concurrency` jobs), as N machines against one Postgres would:
 * the vendor limits and per-host politeness they share live in Postgres. The
 * JSON adds the vendor-limit breaches the simulators counted (must be 0) and
 * the peak number of Postgres connections, sampled every 250 ms.
 */
const { values: args } = parseArgs({
  options: {
    companies: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "160" },
    profile: { type: "string", default: "realistic" },
    "fault-rate": { type: "string", default: "0" },
    workers: { type: "string", default: "1" },
  },
});
const workers = Number(args.workers);
const companies = Number(args.companies);
const concurrency = Number(args.concurrency);

const database = await benchDatabase("nexius_bench_nightly");
console.error("loading the registry sample…");
await ensureDemoRegistry({ connectionString: database.ownerUrl, rows: Math.max(3000, companies * 3), seed: 7 });

const dataDir = path.resolve(".data/bench-nightly");
await mkdir(dataDir, { recursive: true });
const registry = new pg.Client({ connectionString: database.ownerUrl });
await registry.connect();
const { rows: sample } = await registry.query(
  `SELECT uen, entity_name AS name, primary_ssic_code AS "ssicCode", primary_ssic_description AS "ssicDescription" FROM staging_acra_companies`,
);
await registry.end();
await writeFile(path.join(dataDir, "companies.json"), JSON.stringify(sample));

console.error(`starting the dev world (${args.profile} latencies, fault rate ${args["fault-rate"]})…`);
const world = spawn(
  "node_modules/.bin/tsx",
  [
    "tests/sims/dev-world/main.ts",
    "--companies-file",
    path.join(dataDir, "companies.json"),
    "--env-out",
    path.join(dataDir, "world-env.json"),
    "--profile",
    args.profile!,
    "--fault-rate",
    args["fault-rate"]!,
    "--seed",
    "bench",
  ],
  { stdio: ["pipe", "pipe", "inherit"] },
);
let worldOut = "";
world.stdout!.on("data", (chunk: Buffer) => (worldOut += chunk.toString()));
const worldExited = new Promise<void>((resolve) => world.on("exit", () => resolve()));
const envFile = await new Promise<string>((resolve, reject) => {
  world.stdout!.on("data", () => {
    const match = worldOut.match(/\{"ready":"([^"]+)"\}/);
    if (match) resolve(match[1]!);
  });
  world.on("exit", (code) => reject(new Error(`dev world exited with ${code}`)));
});

Object.assign(process.env, JSON.parse(await readFile(envFile, "utf8")) as Record<string, string>, {
  DATABASE_URL: database.ownerUrl,
  APP_DATABASE_URL: database.appUrl,
  SECRET_KEYS: `bench:${randomBytes(32).toString("base64")}`,
  DB_POOL_SIZE: String(Math.min(80, Math.ceil(concurrency / 4))),
  LOG_LEVEL: "error",
  APIFY_DAILY_CAP: "1000000",
  CRAWL_CONCURRENCY: String(Math.min(256, concurrency * 2)),
});
const { platformDb, db } = await import("../../app/db.server");
const { saveIcpRules } = await import("../../app/icp/icp.server");
const { startWorker } = await import("../../app/jobs/worker.server");
const { startRun } = await import("../../app/runs/start-run.server");
const { runProgress } = await import("../../app/runs/run-events.server");
const { APIFY_LINKEDIN_VENDOR } = await import("../../app/vendors/apify.server");

const tenant = await platformDb.tenant.create({ data: { slug: `bench-${Date.now().toString(36)}`, name: "Bench Co", status: "active" } });
await platformDb.tenantSettings.create({ data: { tenantId: tenant.id, odooPushMode: "on_approval", dailyTokenBudget: 50_000_000 } });
// Every live company is a candidate: the benchmark is about the pipeline, not the ICP.
await saveIcpRules(tenant.id, { sub: "bench", email: null }, { dailyCap: companies, scoreThresholds: { high: 85, medium: 65 } });

// One worker in this process, or N worker processes of their own.
const worker = workers === 1 ? await startWorker({ concurrency, pollInterval: 100, crontabFile: null }) : null;
const children = Array.from({ length: workers === 1 ? 0 : workers }, () =>
  spawn("node_modules/.bin/tsx", ["tests/bench/nightly-worker.ts"], {
    env: { ...process.env, BENCH_WORKER_CONCURRENCY: String(concurrency) },
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
const started = performance.now();
const { runId } = await startRun(tenant.id, { kind: "manual", actor: null, options: { limit: companies } });
let lastLine = 0;
for (;;) {
  const progress = await runProgress(tenant.id, runId);
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
await connections.end();
const wall = (performance.now() - started) / 1000;

const run = await db.$withTenant(tenant.id, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: runId } } }));
const metrics = run.metrics as RunMetrics;

// The critical path of each company: website stages in sequence, contacts beside them, then scoring.
const chains = await db.$withTenant(
  tenant.id,
  (tx) =>
    tx.$queryRaw<Array<{ chain_ms: number }>>`
    SELECT GREATEST(
             COALESCE(sum(duration_ms) FILTER (WHERE stage IN ('domain', 'crawl', 'tavily', 'merge', 'extract')), 0),
             COALESCE(sum(duration_ms) FILTER (WHERE stage = 'contacts'), 0))
           + COALESCE(sum(duration_ms) FILTER (WHERE stage IN ('emails', 'score')), 0) AS chain_ms
    FROM run_event_logs WHERE run_id = ${runId}::uuid AND uen IS NOT NULL GROUP BY uen`,
);
const verifyBatches = await db.$withTenant(tenant.id, (tx) => tx.runEventLog.findMany({ where: { runId, stage: "verify" }, select: { durationMs: true } }));
const slowestChain = Math.max(...chains.map((c) => Number(c.chain_ms)));
const oneBatch = Math.min(...verifyBatches.map((b) => b.durationMs ?? 0), Infinity);
const usage = await db.$withTenant(tenant.id, (tx) => tx.runVendorUsage.findMany({ where: { runId } }));
const callsOf = (vendor: string) => usage.find((u) => u.vendor === vendor)?.calls ?? 0;
// Spend at list price: the run's usage rows are priced from VENDOR_UNIT_COST_USD, the table the run page shows.
const apifyRuns = callsOf(APIFY_LINKEDIN_VENDOR);
const llmTokens = usage.find((u) => u.vendor === "llm")?.units ?? 0;
const vendorCostUsd = round(
  usage.reduce((sum, u) => sum + u.costUsd, 0),
  4,
);
// Vendor limits bound the run too: the LLM account's requests per minute, and
// ZeroBounce's 5 batch calls a minute.
const llmFloor = (callsOf("llm") / Number(process.env.LLM_REQUESTS_PER_MINUTE ?? 500)) * 60;
const zeroBounceFloor = Math.max(0, Math.ceil(callsOf("zerobounce") / 5) - 1) * 62;
const chainFloor = (slowestChain + (Number.isFinite(oneBatch) ? oneBatch : 0)) / 1000;
const bound = Math.max(chainFloor, llmFloor, zeroBounceFloor);

console.log(`companies: ${metrics.companies}, wall ${round(wall, 1)} s, critical-path bound ${round(bound, 1)} s, ratio ${round(wall / bound, 2)}`);
console.log(
  `  bound = max(slowest company chain + one verification batch ${round(chainFloor, 1)} s, LLM calls at the RPM limit ${round(llmFloor, 1)} s, ZeroBounce windows ${round(zeroBounceFloor, 1)} s)`,
);
console.log(`vendor spend: ${apifyRuns} Apify actor runs, ${callsOf("llm")} LLM calls (${llmTokens} tokens), $${vendorCostUsd} at list price`);
console.log("per-stage latency (ms):");
for (const s of metrics.latency_ms) console.log(`  ${s.stage.padEnd(10)} p50 ${String(s.p50).padStart(6)}  p95 ${String(s.p95).padStart(6)}`);
console.log(
  `domain ${metrics.domain_rate}, about ${metrics.about_rate}, email ${metrics.email_rate}, max bucket share ${metrics.max_bucket_share}, rationale cache ${metrics.rationale_cache_hit_rate}`,
);
await worker?.stop();
await Promise.all(
  children.map((child) => {
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    return exited;
  }),
);
// The simulators count every request that broke a vendor's own limit; the world reports them as it stops.
world.kill("SIGTERM");
await worldExited;
const stopped = worldOut.match(/\{"stopped":(\{.*\})\}/);
if (!stopped) throw new Error("the dev world stopped without reporting its counts");
const breaches = (JSON.parse(stopped[1]!) as { limitBreaches: Record<string, number> }).limitBreaches;
const vendorViolations = Object.values(breaches).reduce((sum, n) => sum + n, 0);
console.log(`workers ${workers}, vendor-limit breaches ${JSON.stringify(breaches)}, peak Postgres connections ${peakConnections}`);

console.log(
  JSON.stringify({
    workers,
    companies: metrics.companies,
    wall_s: round(wall, 1),
    bound_s: round(bound, 1),
    ratio: round(wall / bound, 2),
    vendor_violations: vendorViolations,
    peak_connections: peakConnections,
    concurrency,
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
