import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "../../app/dev/embedded-postgres.server";
import { startStandIns } from "../support/platform";
import { benchDatabase, percentile, round } from "./bench-database";
import { isScenarioResult, lastJsonLine } from "./bench-output";

/**
 * `npm run bench:onboarding`: first login → workspace ready, the way the
 * sign-in callback starts it (resolveIdentity with a new identity queues the
 * provisioning job) and the setup screen sees it end (onboarding_status
 * `ready`, polled every 25 ms), with a worker running and the Odoo simulator
 * answering in 20–60 ms per call (create_database 1–2 s more).
 *
 *   company     50 sequential first logins, company_per_tenant
 *   db          50 sequential first logins, db_per_tenant, empty warm pool (create_database)
 *   warm        50 sequential first logins, db_per_tenant, each with a ready warm copy
 *               (the pool is refilled before each login, outside the timing)
 *   concurrent  20 simultaneous first logins, company_per_tenant
 *
 * env() is parsed once per process and the Odoo mode is part of it, so each
 * scenario runs in its own process (this file with --scenario) against one
 * embedded Postgres (port BENCH_PG_PORT, default 54357) or BENCH_DATABASE_URL.
 * The last stdout line is JSON with company_p95_s, db_p95_s, warm_p95_s, concurrent_p95_s.
 */
const SCENARIOS = {
  company: { mode: "company_per_tenant", logins: Number(process.env.BENCH_SEQUENTIAL ?? 50), concurrent: false },
  db: { mode: "db_per_tenant", logins: Number(process.env.BENCH_SEQUENTIAL ?? 50), concurrent: false },
  warm: { mode: "db_per_tenant", logins: Number(process.env.BENCH_SEQUENTIAL ?? 50), concurrent: false, warmPool: 2 },
  concurrent: { mode: "company_per_tenant", logins: Number(process.env.BENCH_CONCURRENT ?? 20), concurrent: true },
} as const;
type ScenarioName = keyof typeof SCENARIOS;
const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 10);
const POLL_MS = 25;

const { values } = parseArgs({ options: { scenario: { type: "string" } } });

if (values.scenario) {
  await runScenario(values.scenario as ScenarioName);
} else {
  await runAll();
}

async function runAll() {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: path.resolve(".data/bench-onboarding-pg"),
      port: Number(process.env.BENCH_PG_PORT ?? 54357),
      database: "postgres",
    });
    serverUrl = server.url;
    stop = server.stop;
  }
  const results: Record<string, { p50: number; p95: number; max: number; n: number }> = {};
  try {
    for (const name of Object.keys(SCENARIOS) as ScenarioName[]) {
      const samples = await child(name, serverUrl);
      results[name] = { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), max: round(Math.max(...samples)), n: samples.length };
      const { mode, concurrent } = SCENARIOS[name];
      const pool = warmPoolOf(name) ? `, a ready warm copy each` : "";
      console.log(
        `${name.padEnd(10)} ${String(samples.length).padStart(2)} ${concurrent ? "concurrent" : "sequential"} first logins (${mode}${pool}): ` +
          `p50 ${results[name].p50} s, p95 ${results[name].p95} s, max ${results[name].max} s`,
      );
    }
  } finally {
    await stop();
  }
  console.log(
    JSON.stringify({
      company_p50_s: results.company!.p50,
      company_p95_s: results.company!.p95,
      db_p50_s: results.db!.p50,
      db_p95_s: results.db!.p95,
      warm_p50_s: results.warm!.p50,
      warm_p95_s: results.warm!.p95,
      concurrent_p50_s: results.concurrent!.p50,
      concurrent_p95_s: results.concurrent!.p95,
      samples: { company: results.company!.n, db: results.db!.n, warm: results.warm!.n, concurrent: results.concurrent!.n },
      worker_concurrency: WORKER_CONCURRENCY,
      odoo_latency_ms: [20, 60],
      create_database_extra_ms: [1000, 2000],
    }),
  );
}

function warmPoolOf(name: ScenarioName): number {
  const scenario = SCENARIOS[name];
  return "warmPool" in scenario ? scenario.warmPool : 0;
}

/** Runs one scenario in its own process; resolves with its samples (seconds). */
function child(name: ScenarioName, serverUrl: string): Promise<number[]> {
  const tsx = path.resolve("node_modules/.bin/tsx");
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const proc = spawn(tsx, [self, "--scenario", name], { env: { ...process.env, BENCH_DATABASE_URL: serverUrl }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`scenario ${name} exited with ${code}: ${out.slice(-500)}`));
      const result = lastJsonLine(out, isScenarioResult(name));
      if (!result) return reject(new Error(`scenario ${name} printed no result: ${out.slice(-500)}`));
      resolve(result.samples);
    });
  });
}

async function runScenario(name: ScenarioName) {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const database = await benchDatabase(`nexius_bench_onboarding_${name}`);
  Object.assign(process.env, {
    DATABASE_URL: database.ownerUrl,
    APP_DATABASE_URL: database.appUrl,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "silent",
    SECRET_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    DB_POOL_SIZE: "20",
  });
  const standIns = await startStandIns({
    odooMode: scenario.mode,
    odoo: {
      latencyMs: [20, 60],
      callLatencyMs: (call) => (call.method === "create_database" ? 1000 + Math.random() * 1000 : 0),
    },
    env: { ODOO_TIMEOUT_MS: "30000", ODOO_WARM_POOL_SIZE: String(warmPoolOf(name)) },
  });
  const [{ platformDb, db }, { resolveIdentity }, { startWorker }, connection, pool] = await Promise.all([
    import("../../app/db.server"),
    import("../../app/auth/identity.server"),
    import("../../app/jobs/worker.server"),
    import("../../app/odoo/connection.server"),
    import("../../app/odoo/warm-pool.server"),
  ]);
  const worker = await startWorker({ crontabFile: null, pollInterval: 100, concurrency: WORKER_CONCURRENCY });
  const run = randomBytes(3).toString("hex");

  async function firstLogin(i: number): Promise<number> {
    const identity = {
      sub: `bench-${name}-${run}-${i}`,
      email: `user${i}.${run}@bench.test`,
      email_verified: true,
      name: `Bench ${name} ${run} ${i}`,
      roles: [],
    };
    if (warmPoolOf(name) > 0) {
      // Outside the timing: the pool holds a ready copy, as it does between first logins that are minutes apart.
      await pool.refillWarmPool(connection.odooClient(), pool.warmPoolConfig(connection.odooSettings().masterPassword));
      if ((await platformDb.odooWarmDatabase.count({ where: { state: "ready" } })) === 0) throw new Error("the warm pool has no ready copy");
    }
    const started = performance.now();
    const { tenant } = await resolveIdentity(identity);
    if (!tenant) throw new Error("first login created no workspace");
    for (;;) {
      const row = await platformDb.onboardingStatus.findUnique({ where: { tenantId: tenant.id }, select: { status: true, error: true } });
      if (row?.status === "ready") return (performance.now() - started) / 1000;
      if (row?.status === "error") throw new Error(`provisioning of ${tenant.slug} failed: ${row.error}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  let result: { scenario: ScenarioName; samples: number[] } | undefined;
  try {
    // One login first, not counted: discovery, JWKS and connection pools warm up.
    await firstLogin(-1);
    const samples: number[] = [];
    if (scenario.concurrent) {
      samples.push(...(await Promise.all(Array.from({ length: scenario.logins }, (_, i) => firstLogin(i)))));
    } else {
      for (let i = 0; i < scenario.logins; i++) {
        samples.push(await firstLogin(i));
        if ((i + 1) % 10 === 0) console.error(`[${name}] ${i + 1}/${scenario.logins}`);
      }
    }
    // Each login provisioned exactly once.
    const ready = await platformDb.tenant.count({ where: { status: "active" } });
    // With a warm pool, every login must have taken a copy (none fell back to create_database).
    const odooCount = warmPoolOf(name)
      ? await platformDb.odooWarmDatabase.count({ where: { state: "claimed" } })
      : scenario.mode === "company_per_tenant"
        ? standIns.odoo.state
            .database("platform")
            .records("res.company")
            .filter((c) => String(c.name).startsWith(`Bench ${name} ${run}`)).length
        : standIns.odoo.state.databases.size;
    if (ready !== scenario.logins + 1 || odooCount !== scenario.logins + 1) {
      throw new Error(`expected ${scenario.logins + 1} provisioned workspaces, found ${ready} active tenants and ${odooCount} in Odoo`);
    }
    result = { scenario: name, samples };
  } finally {
    await worker.stop();
    await standIns.stop();
    await db.$disconnect();
    await platformDb.$disconnect();
  }
  // Printed once everything has stopped, so nothing the scenario started prints after it.
  console.log(JSON.stringify(result));
}
